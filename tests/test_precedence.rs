//! Layer precedence: for each pair of layers the higher one wins, and the reported
//! origin names it. Lowest to highest: default < figment provider < secrets directory
//! < `.env` < environment (and `NAME_FILE`) < `set`. Without the `figment` feature,
//! the same without the provider layer.

mod common;

#[cfg(feature = "figment")]
use confidant::figment::providers::Serialized;
use confidant::{Loader, Origin, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = 1)]
    port: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Default,
    Provider,
    SecretsDir,
    Dotenv,
    Env,
    EnvFile,
    Override,
}

const ALL_LAYERS: [Layer; 7] = [
    Layer::Default,
    Layer::Provider,
    Layer::SecretsDir,
    Layer::Dotenv,
    Layer::Env,
    Layer::EnvFile,
    Layer::Override,
];

/// The layers of this build, lowest first: providers need the `figment` feature.
fn layers() -> Vec<Layer> {
    ALL_LAYERS
        .into_iter()
        .filter(|&l| cfg!(feature = "figment") || l != Layer::Provider)
        .collect()
}

/// Puts `value` for `port` into `layer` of the loader.
fn put(loader: Loader<Config>, dir: &std::path::Path, layer: Layer, value: &str) -> Loader<Config> {
    match layer {
        // The default is always there (1); nothing to add.
        Layer::Default => loader,
        #[cfg(feature = "figment")]
        Layer::Provider => loader.provider(Serialized::default("port", value)),
        #[cfg(not(feature = "figment"))]
        Layer::Provider => unreachable!("no provider layer without the figment feature"),
        Layer::SecretsDir => {
            let secrets = dir.join("secrets");
            common::write(&secrets, "APP_PORT", &format!("{value}\n"));
            loader.secrets_dir(secrets)
        }
        Layer::Dotenv => {
            let file = common::write(dir, ".env", &format!("# comment\nAPP_PORT={value}\n"));
            loader.dotenv(file)
        }
        Layer::Env => loader.env_vars([("APP_PORT", value)]),
        Layer::EnvFile => {
            let file = common::write(dir, "port.txt", value);
            loader.env_vars([("APP_PORT_FILE".to_owned(), file.display().to_string())])
        }
        Layer::Override => loader.set("port", value),
    }
}

fn origin_of(layer: Layer, dir: &std::path::Path) -> Origin {
    match layer {
        Layer::Default => Origin::Default,
        Layer::Provider => Origin::Provider {
            name: String::new(),
        },
        Layer::SecretsDir => Origin::SecretsFile {
            path: dir.join("secrets").join("APP_PORT"),
        },
        Layer::Dotenv => Origin::Dotenv {
            path: dir.join(".env"),
            line: 2,
            encrypted: false,
        },
        Layer::Env => Origin::Environment,
        Layer::EnvFile => Origin::NameFile {
            path: dir.join("port.txt"),
            var: "APP_PORT_FILE".into(),
        },
        Layer::Override => Origin::Override,
    }
}

fn base() -> Loader<Config> {
    common::isolated()
}

/// Every pair `(low, high)` of two layers of this build, `low` below `high`; but env
/// and `NAME_FILE`, which are one layer: both set is a conflict, tested elsewhere.
fn pairs() -> Vec<(Layer, Layer)> {
    let layers = layers();
    let mut pairs = Vec::new();
    for (i, &low) in layers.iter().enumerate() {
        for &high in &layers[i + 1..] {
            if (low, high) != (Layer::Env, Layer::EnvFile) {
                pairs.push((low, high));
            }
        }
    }
    pairs
}

/// A loader of `base()` with `low` put into `low`'s layer and `high` into `high`'s;
/// their files in `dir`.
fn with_layers(dir: &std::path::Path, low: (Layer, &str), high: (Layer, &str)) -> Loader<Config> {
    put(put(base(), dir, low.0, low.1), dir, high.0, high.1)
}

#[test]
fn higher_layer_wins_for_every_pair() {
    for (low, high) in pairs() {
        let dir = common::tempdir();
        let cfg = with_layers(dir.path(), (low, "2"), (high, "3"))
            .load()
            .unwrap_or_else(|e| panic!("{low:?} < {high:?}: {e}"));
        assert_eq!(cfg.port, 3, "{low:?} < {high:?}");
    }
}

#[test]
fn reported_origin_is_the_winning_layer() {
    for (low, high) in pairs() {
        let dir = common::tempdir();
        // The higher layer holds a bad value: the problem must point at it.
        let err = with_layers(dir.path(), (low, "2"), (high, "not-a-port"))
            .load()
            .unwrap_err();
        let problem = &err.problems()[0];
        assert_eq!(problem.env_var(), "APP_PORT");
        let origin = problem.origin().unwrap().clone();
        match (high, origin) {
            (Layer::Provider, Origin::Provider { .. }) => {}
            (high, origin) => {
                assert_eq!(origin, origin_of(high, dir.path()), "{low:?} < {high:?}")
            }
        }
    }
}

#[test]
fn later_dotenv_and_secrets_dir_win() {
    let dir = common::tempdir();
    let a = common::write(dir.path(), "a.env", "APP_PORT=2\n");
    let b = common::write(dir.path(), "b.env", "APP_PORT=3\n");
    let cfg = base().dotenv(&a).dotenv(&b).load().unwrap();
    assert_eq!(cfg.port, 3);
    let cfg = base().dotenv(&b).dotenv(&a).load().unwrap();
    assert_eq!(cfg.port, 2);

    common::write(dir.path(), "s1/app_port", "4");
    common::write(dir.path(), "s2/app_port", "5");
    let cfg = base()
        .secrets_dir(dir.path().join("s1"))
        .secrets_dir(dir.path().join("s2"))
        .load();
    assert_eq!(cfg.unwrap().port, 5);
}

#[test]
fn an_empty_higher_value_does_not_hide_a_lower_one() {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", "APP_PORT=7\n");
    let cfg = base()
        .dotenv(file)
        .env_vars([("APP_PORT", "")])
        .load()
        .unwrap();
    assert_eq!(cfg.port, 7);
}
