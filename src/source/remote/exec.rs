//! [`Exec`]: any program as a source, speaking vector's exec protocol v1.

use std::ffi::OsString;
use std::fmt;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_core::Deserialize;
use zeroize::Zeroizing;

use super::fetch::{Ctx, Entry, Failure, Fetch, Fetched, Value};
use crate::error::remote::{ExecAnswer, ExecFailure};

/// The most a program may write on stdout.
const MAX_OUTPUT: u64 = 4 * 1024 * 1024;

/// A program that fetches secrets, run at each load ([vector's exec protocol v1]):
/// it gets `{"version":"1.0","secrets":["APP_OPENAI_API_KEY", ...]}` (the env name of
/// every setting, plain or secret) on stdin and answers
/// `{"APP_OPENAI_API_KEY": {"value": "...", "error": null}, ...}` on stdout. A name
/// it leaves out is not set by this source; its keys may also be spelled like
/// secrets-directory files (`db__password`).
///
/// A non-zero exit, a timeout (5 s by default), an `error` (its text shown, redacted),
/// an empty value or output that is not the protocol's JSON is a problem naming the
/// program, never echoing its output; each line it writes on stderr is a warning,
/// redacted of the values it returned. When the loader was given
/// [`env_vars`](crate::Loader::env_vars), the program runs with exactly those variables;
/// otherwise it inherits the process environment. Adapters for common CLIs (`bao`,
/// `aws`, `gcloud`, `az`, `op`, `sops`) are in `docs/secrets.md`.
///
/// Origins read `exec <program>`.
///
/// [vector's exec protocol v1]: https://vector.dev/highlights/2022-07-07-secrets-management/
///
/// ```
/// use std::time::Duration;
/// let fetch = confidant::remote::Exec::new(["fetch-secrets", "--env", "prod"])
///     .timeout(Duration::from_secs(10));
/// assert_eq!(format!("{fetch:?}"), r#"Exec { program: "fetch-secrets", args: 2, timeout: 10s }"#);
/// ```
#[derive(Clone)]
pub struct Exec {
    argv: Vec<OsString>,
    timeout: Duration,
}

impl Exec {
    /// The program and its arguments (the first item is the program, found on `PATH`
    /// like a shell would).
    ///
    /// ```
    /// let fetch = confidant::remote::Exec::new(["fetch-secrets"]);
    /// # let _ = fetch;
    /// ```
    pub fn new<I, S>(argv: I) -> Exec
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        Exec {
            argv: argv.into_iter().map(Into::into).collect(),
            timeout: Duration::from_secs(5),
        }
    }

    /// How long the program may take, from start to exit; 5 s by default. Past it the
    /// program is killed and the load has a problem naming it.
    ///
    /// ```
    /// let fetch = confidant::remote::Exec::new(["fetch-secrets"])
    ///     .timeout(std::time::Duration::from_millis(1500));
    /// # let _ = fetch;
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Exec {
        self.timeout = timeout;
        self
    }

    fn program(&self) -> String {
        self.argv
            .first()
            .map_or_else(String::new, |p| p.to_string_lossy().into_owned())
    }
}

/// Arguments are counted, not shown: they may hold a token.
impl fmt::Debug for Exec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exec")
            .field("program", &self.program())
            .field("args", &self.argv.len().saturating_sub(1))
            .field("timeout", &format_args!("{:?}", self.timeout))
            .finish()
    }
}

/// One answer of the protocol; `value` kept in a wiped buffer. Other fields are
/// ignored.
struct Answer {
    value: Option<Wiped>,
    error: Option<String>,
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde_core::de::Visitor<'de> for Visit {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with `value` and `error`")
            }
            fn visit_map<A: serde_core::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Answer, A::Error> {
                let mut answer = Answer {
                    value: None,
                    error: None,
                };
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "value" => answer.value = map.next_value()?,
                        "error" => answer.error = map.next_value()?,
                        _ => {
                            map.next_value::<serde_core::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(answer)
            }
        }
        d.deserialize_map(Visit)
    }
}

/// A string moved straight into a zeroizing buffer.
struct Wiped(Zeroizing<String>);

impl<'de> Deserialize<'de> for Wiped {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Wiped(Zeroizing::new(s)))
    }
}

impl Fetch for Exec {
    fn describe(&self) -> String {
        format!("exec {}", self.program())
    }

    fn fetch(&self, ctx: &Ctx<'_>) -> Result<Fetched, Failure> {
        let name = self.describe();
        let Some((program, args)) = self.argv.split_first() else {
            return Err(Failure::Other(ExecFailure::NoProgram.sentence()));
        };
        let mut request = serde_json::json!({ "version": "1.0", "secrets": ctx.names });
        let request = Zeroizing::new(request.take().to_string().into_bytes());

        let mut command = Command::new(program);
        command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(vars) = ctx.env.given() {
            command.env_clear().envs(vars.iter().map(|(k, v)| (k, v)));
        }
        let started = Instant::now();
        let mut child = command.spawn().map_err(|err| {
            Failure::Unreachable(
                ExecFailure::NotStarted {
                    why: &crate::error::path_failure(err.kind()),
                }
                .sentence(),
            )
        })?;

        // Each pipe on its own thread, so that a program that writes before it reads
        // cannot block on a full pipe.
        let mut stdin = child.stdin.take().expect("stdin is piped");
        std::thread::spawn(move || {
            // A program that exits without reading its input is not an error here.
            let _ = stdin.write_all(&request);
        });
        let (out_tx, out_rx) = mpsc::channel();
        let mut stdout = child.stdout.take().expect("stdout is piped");
        std::thread::spawn(move || {
            let mut buf = Zeroizing::new(Vec::new());
            // At most MAX_OUTPUT (and one byte more, to tell); the rest is drained.
            let read = (&mut stdout).take(MAX_OUTPUT + 1).read_to_end(&mut buf);
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
            let _ = out_tx.send(read.map(|_| buf));
        });
        let (err_tx, err_rx) = mpsc::channel();
        let mut stderr = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            let mut buf = Zeroizing::new(Vec::new());
            // At most 64 KiB of warnings; the rest is read and dropped.
            let read = (&mut stderr).take(64 * 1024).read_to_end(&mut buf);
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
            let _ = err_tx.send(read.map(|_| buf));
        });

        let deadline = started + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Failure::Unreachable(
                        ExecFailure::TimedOut {
                            after: self.timeout,
                        }
                        .sentence(),
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(err) => {
                    let _ = child.kill();
                    return Err(Failure::Other(
                        ExecFailure::NotWaited { kind: err.kind() }.sentence(),
                    ));
                }
            }
        };
        // A child of the program may hold the pipes open: wait for them no longer than
        // the time left (and at least a moment).
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(100));
        let stdout = match out_rx.recv_timeout(left) {
            Ok(Ok(buf)) => buf,
            Ok(Err(err)) => {
                return Err(Failure::Other(
                    ExecFailure::OutputUnreadable { kind: err.kind() }.sentence(),
                ));
            }
            Err(_) => {
                return Err(Failure::Unreachable(
                    ExecFailure::OutputOpen {
                        after: self.timeout,
                    }
                    .sentence(),
                ));
            }
        };
        let stderr = err_rx
            .recv_timeout(Duration::from_millis(100))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();

        if stdout.len() as u64 > MAX_OUTPUT {
            return Err(Failure::Other(
                ExecFailure::TooLarge {
                    mib: MAX_OUTPUT / (1024 * 1024),
                }
                .sentence(),
            ));
        }
        let answers: Option<Vec<(String, Answer)>> = if status.success() {
            parse(&stdout)
        } else {
            None
        };
        // Redacts with every value the program returned, whatever its exit.
        let redactor = super::fetch::redactor(
            answers
                .iter()
                .flatten()
                .filter_map(|(_, a)| a.value.as_ref().map(|v| v.0.as_bytes())),
        );
        let mut fetched = Fetched::default();
        for line in String::from_utf8_lossy(&stderr).lines() {
            let line = line.trim_end();
            if !line.is_empty() {
                let line = super::fetch::escape_controls(&redactor.redact(line));
                fetched
                    .warnings
                    .push(crate::error::remote::exec_stderr(&line));
            }
        }
        if !status.success() {
            return Err(Failure::Other(
                ExecFailure::Exited {
                    code: status.code(),
                }
                .sentence(),
            ));
        }
        let Some(answers) = answers else {
            return Err(Failure::Other(ExecFailure::NotProtocol.sentence()));
        };
        for (key, answer) in answers {
            let key_shown = super::fetch::escape_controls(&key);
            match (answer.error, answer.value) {
                (Some(error), _) => {
                    let error = super::fetch::escape_controls(&redactor.redact(&error));
                    fetched.problems.push(
                        ExecAnswer::Error {
                            key: &key_shown,
                            error: &error,
                        }
                        .sentence(),
                    );
                }
                (None, Some(value)) if value.0.is_empty() => {
                    fetched
                        .problems
                        .push(ExecAnswer::Empty { key: &key_shown }.sentence());
                }
                (None, Some(value)) => fetched.entries.push(Entry {
                    place: name.clone(),
                    key,
                    value: Value::Text(value.0),
                    group: 0,
                }),
                (None, None) => fetched
                    .problems
                    .push(ExecAnswer::Neither { key: &key_shown }.sentence()),
            }
        }
        Ok(fetched)
    }
}

/// The protocol's answer, in the program's order; `None` when it is not one.
fn parse(stdout: &[u8]) -> Option<Vec<(String, Answer)>> {
    struct Ordered(Vec<(String, Answer)>);
    impl<'de> Deserialize<'de> for Ordered {
        fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> serde_core::de::Visitor<'de> for Visit {
                type Value = Ordered;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object of answers")
                }
                fn visit_map<A: serde_core::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry::<String, Answer>()? {
                        out.push(entry);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(Visit)
        }
    }
    serde_json::from_slice::<Ordered>(stdout).ok().map(|o| o.0)
}
