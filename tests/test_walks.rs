//! Four walks over a settings struct must agree on its leaves: the plan (names,
//! `explain` rows), the generated `__build` (which value goes to which leaf), the
//! generated `__texts` (`child_env`) and `env_example`'s walk over the plan's tree. The
//! generated code names each field by its index in its struct and the plan's tree says
//! which leaf that is; each setting here is set to its own dotted path, so a walk that
//! paired a field with another leaf would pair a setting with another one's value.

use confidant::Settings;

#[derive(Debug, Settings)]
#[settings(prefix = "W_")]
struct Config {
    a: String,
    #[settings(nested)]
    first: First,
    b: String,
    #[settings(nested)]
    second: Second,
    c: String,
}

#[derive(Debug, Settings)]
struct First {
    x: String,
    #[settings(nested)]
    deep: Deep,
    y: String,
}

#[derive(Debug, Settings)]
struct Deep {
    z: String,
}

#[derive(Debug, Settings)]
struct Second {
    x: String,
}

const PATHS: [&str; 7] = [
    "a",
    "first.x",
    "first.deep.z",
    "first.y",
    "b",
    "second.x",
    "c",
];

fn loader() -> confidant::Loader<Config> {
    PATHS
        .iter()
        .fold(Config::fixture(), |loader, path| loader.set(*path, *path))
}

#[test]
fn plan_build_texts_and_env_example_walk_the_leaves_in_one_order() {
    let leaves: Vec<&str> = PATHS.to_vec();

    // Plan and build: each explain row's value is its own path.
    let explain = loader().explain().unwrap();
    let rows: Vec<(&str, &str)> = explain
        .rows()
        .iter()
        .map(|r| (r.setting(), r.value()))
        .collect();
    let expected: Vec<(&str, &str)> = leaves.iter().map(|p| (*p, *p)).collect();
    assert_eq!(rows, expected);
    let env_vars: Vec<&str> = explain.rows().iter().map(|r| r.env_var()).collect();

    // Texts: child_env hands each variable its own setting's value, in leaf order.
    let cfg = loader().load().unwrap();
    let child = cfg.child_env(&["a", "first", "b", "second", "c"]).unwrap();
    let pairs: Vec<(&str, &str)> = child.iter().collect();
    let expected: Vec<(&str, &str)> = env_vars.iter().copied().zip(leaves.clone()).collect();
    assert_eq!(pairs, expected);

    // env_example: one `NAME=` line per leaf, in the same order.
    let example = Config::env_example();
    let names: Vec<&str> = example
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('='))
        .map(|l| l.split('=').next().unwrap())
        .collect();
    assert_eq!(names, env_vars);
}
