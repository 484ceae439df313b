//! [`ChildEnv`]: the environment a child process gets: chosen settings only.

use std::fmt;
use std::process::Command;

use zeroize::Zeroizing;

use crate::error::{Error, Problem, ProblemKind};
use crate::plan::{Node, Plan};
use crate::settings::Settings;
use crate::value::to_text::{LeafText, TextOutcome, VisitTexts};

/// The `(env var, value)` pairs of chosen settings, for a child process that should get
/// those settings and nothing else. Made by [`Settings::child_env`].
///
/// Each pair is the setting's primary environment name (`APP_DB__HOST`; `env = ".."`
/// when given) and its loaded value as settings text, so a child that loads the same
/// settings struct reads back the same values. Optional settings without a value are
/// left out (unset in the child too).
///
/// The values live in zeroizing buffers, wiped when the `ChildEnv` is dropped, and are
/// written only when this is built, for the chosen settings only. `Debug` shows the
/// names, never the values. Handing the values to [`Command::envs`] is the one place a
/// secret is meant to leave: the `Command` keeps its own copy (not wiped) until it is
/// dropped, and the operating system gives the child its copy.
///
/// ```no_run
/// use std::process::Command;
/// use confidant::{Secret, Settings};
///
/// #[derive(Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     openai_api_key: Secret<String>,
///     serper_api_key: Secret<String>,
///     #[settings(default = "INFO")]
///     log_level: String,
/// }
///
/// let cfg = Config::load()?;
/// let env = cfg.child_env(&["openai_api_key", "log_level"])?;
/// // The child sees APP_OPENAI_API_KEY and APP_LOG_LEVEL, and nothing else.
/// let status = Command::new("worker").env_clear().envs(&env).status();
/// # let _ = status;
/// # Ok::<(), confidant::Error>(())
/// ```
pub struct ChildEnv {
    vars: Vec<(String, Zeroizing<String>)>,
}

impl ChildEnv {
    /// The pairs, in declaration order of the settings.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(prefix = "APP_")]
    /// # struct Config { #[settings(default = 2)] workers: u8 }
    /// let cfg = Config::fixture().load()?;
    /// let env = cfg.child_env(&["workers"])?;
    /// assert_eq!(env.iter().collect::<Vec<_>>(), [("APP_WORKERS", "2")]);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The variable names, in declaration order of the settings.
    ///
    /// ```
    /// # use confidant::{Secret, Settings};
    /// # #[derive(Settings)] struct Config { token: Secret<String> }
    /// let cfg = Config::fixture().load()?;
    /// assert_eq!(cfg.child_env(&["token"])?.names().collect::<Vec<_>>(), ["TOKEN"]);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.vars.iter().map(|(k, _)| k.as_str())
    }

    /// The value of one variable.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 2)] workers: u8 }
    /// let env = Config::fixture().load()?.child_env(&["workers"])?;
    /// assert_eq!(env.get("WORKERS"), Some("2"));
    /// assert_eq!(env.get("PATH"), None);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// How many variables there are.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { n: Option<u8> }
    /// let env = Config::fixture().load()?.child_env(&["n"])?;
    /// assert_eq!(env.len(), 0); // unset optionals are left out
    /// assert!(env.is_empty());
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether there are no variables.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { n: Option<u8> }
    /// assert!(Config::fixture().load()?.child_env(&[])?.is_empty());
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// Clears the command's environment and sets these variables: after this the child
    /// inherits nothing (add e.g. `PATH` back with [`Command::env`] if it needs it).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 2)] workers: u8 }
    /// use std::process::Command;
    /// let env = Config::fixture().load()?.child_env(&["workers"])?;
    /// let mut cmd = Command::new("env");
    /// env.apply(&mut cmd);
    /// let vars: Vec<_> = cmd.get_envs().map(|(k, _)| k.to_owned()).collect();
    /// assert_eq!(vars, ["WORKERS"]);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.env_clear().envs(self)
    }
}

impl<'a> IntoIterator for &'a ChildEnv {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Zeroizing<String>)>,
        fn(&'a (String, Zeroizing<String>)) -> (&'a str, &'a str),
    >;

    fn into_iter(self) -> Self::IntoIter {
        fn pair(p: &(String, Zeroizing<String>)) -> (&str, &str) {
            (p.0.as_str(), p.1.as_str())
        }
        self.vars.iter().map(pair)
    }
}

impl fmt::Debug for ChildEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildEnv")
            .field("names", &self.names().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// `Settings::child_env`: each selector is a leaf's dotted path (`db.host`) or a nested
/// struct's path (`db`: all of its leaves).
pub(crate) fn child_env<S: Settings>(settings: &S, fields: &[&str]) -> Result<ChildEnv, Error> {
    let plan = S::__plan();
    let mut wanted = vec![false; plan.leaves.len()];
    let mut problems = Vec::new();
    for &selector in fields {
        if let Some(&leaf) = plan.paths.get(selector) {
            wanted[leaf] = true;
        } else if let Some(section) = plan.sections[1..].iter().find(|s| s.path == selector) {
            wanted[section.leaves.clone()].fill(true);
        } else {
            problems.push(Problem::of_path(
                selector,
                ProblemKind::Unknown,
                crate::error::unknown_child_env(selector),
            ));
        }
    }
    let mut texts = Texts {
        plan,
        section: 0,
        wanted,
        vars: Vec::new(),
        problems,
    };
    settings.__texts::<dyn VisitTexts>(&mut texts);
    let Texts { vars, problems, .. } = texts;
    if problems.is_empty() {
        Ok(ChildEnv { vars })
    } else {
        Err(Error::new(S::META.name, problems))
    }
}

/// The visitor `child_env` hands to `__texts`: writes the text of each wanted leaf,
/// found in the plan's tree by its struct and field index.
struct Texts<'p> {
    plan: &'p Plan,
    /// The struct visited: its index in the plan's sections.
    section: usize,
    /// By leaf index: whether the leaf goes to the child.
    wanted: Vec<bool>,
    vars: Vec<(String, Zeroizing<String>)>,
    problems: Vec<Problem>,
}

impl VisitTexts for Texts<'_> {
    fn leaf(&mut self, field: usize, write: LeafText<'_>) {
        let Node::Leaf(index) = self.plan.child(self.section, field) else {
            unreachable!("generated code writes a setting where the plan has a section")
        };
        if !self.wanted[index] {
            return;
        }
        let leaf = &self.plan.leaves[index];
        let mut text = Zeroizing::new(String::new());
        // A child is where a secret is meant to go: `Secret`s inside lists, maps and
        // other `Serialize` values write their own values here, not `[REDACTED]`.
        let outcome = crate::secret::revealed(|| write.write_text(&mut text));
        match outcome {
            TextOutcome::Text => self.vars.push((leaf.env().to_owned(), text)),
            TextOutcome::Unset => {}
            TextOutcome::NoText => self.problems.push(leaf.problem(
                ProblemKind::Invalid,
                crate::error::no_text_form(leaf.field.ty),
            )),
        }
    }

    fn enter(&mut self, field: usize) {
        let Node::Section(section) = self.plan.child(self.section, field) else {
            unreachable!("generated code enters a section where the plan has a setting")
        };
        self.section = section;
    }

    fn leave(&mut self) {
        self.section = self.plan.sections[self.section].parent;
    }
}
