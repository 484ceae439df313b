//! What one load made of each leaf: one [`LeafOutcome`] per leaf, in declaration order,
//! filled in as the load goes. Resolution sets its [`Record`] (found, unset or failed)
//! and the found text; the build takes the text, turns an unset leaf into its default,
//! a fixture's fake value or a missing setting, and keeps what `explain` shows of it and
//! what a [`Watch`](crate::Watch) pins; `explain` and the watch read the same vector.

use zeroize::Zeroizing;

use crate::origin::Origin;
use crate::source::{Found, Layers};
use crate::value::parse::Input;

/// One leaf's outcome: the one record of where its value came from, and what the load
/// keeps of it. No `Debug`: it holds the load's texts.
pub(crate) struct LeafOutcome {
    /// Where the value came from; the build's decision for the leaf.
    pub record: Record,
    /// The text the build parses: a found value's (set by resolution), a default written
    /// as text or a fixture's placeholder (set by the build); taken by the parse.
    pub text: Option<Input>,
    /// What `explain` shows of the value's own text; `None` when it has none (then the
    /// record says why: unset, failed, or a fixture's typed fake secret) or the load keeps
    /// no outcomes.
    pub shown: Option<Shown>,
    /// A `#[settings(restart)]` leaf's running value, when the load keeps its outcomes:
    /// the text it was parsed from (wiped on drop), which a [`Watch`](crate::Watch) pins
    /// while the leaf waits for a restart; `None` when no layer set it (its default,
    /// `None` or a fixture's fake value) and for every other leaf.
    pub pin: Option<Input>,
}

impl LeafOutcome {
    /// A leaf that no layer sets (yet: the build may give it a default).
    pub(crate) fn unset() -> Self {
        Self::with(Record::Unset, None)
    }

    /// A leaf whose resolution recorded a problem: it has no value and is not reported
    /// missing.
    pub(crate) fn failed() -> Self {
        Self::with(Record::Failed, None)
    }

    /// The winning text, and where it was found.
    pub(crate) fn found(text: Input, found: Found) -> Self {
        Self::with(Record::Found(found), Some(text))
    }

    fn with(record: Record, text: Option<Input>) -> Self {
        LeafOutcome {
            record,
            text,
            shown: None,
            pin: None,
        }
    }
}

/// Where a leaf's value came from: the one record of it, kept through the load for
/// problems and `explain`, and the build's decision for the leaf. Resolution makes
/// `Found`, `Unset` and `Failed`; the build turns `Unset` into `Default` or `Fake` where
/// one applies, `Fake` back into `Unset` (a placeholder an optional field's type cannot
/// become), and `Unset` into `Failed` when the setting is missing. A text that does not
/// parse keeps its record (the problem names where it came from);
/// [`LeafOutcome::shown`] says it is invalid.
#[derive(Debug)]
pub(crate) enum Record {
    /// No layer sets it and it has no default: an `Option` left `None` (a missing
    /// setting becomes `Failed`).
    Unset,
    /// A problem was recorded (in resolution, or the setting is missing): the load fails.
    Failed,
    /// The field's default.
    Default,
    /// A fixture's `fake` value or placeholder.
    Fake,
    /// A layer's value.
    Found(Found),
}

impl Record {
    /// Where the value came from; `None` when there is none.
    pub fn origin(&self, layers: &Layers) -> Option<Origin> {
        match self {
            Record::Unset | Record::Failed => None,
            Record::Default => Some(Origin::Default),
            Record::Fake => Some(Origin::Fake),
            Record::Found(found) => Some(layers.origin(found)),
        }
    }

    /// Which of the leaf's names set it: 0 for the primary name, 1.. for aliases.
    pub fn rank(&self) -> u8 {
        match self {
            Record::Found(found) => found.rank,
            _ => 0,
        }
    }
}

/// What `explain` shows of a leaf's value, when the value has a text of its own.
#[derive(Debug, Clone)]
pub(crate) enum Shown {
    /// A plain value, as text.
    Plain(String),
    /// A secret's fingerprint as shown (`sha256:`, `hmac:` or `(set)`: see
    /// `secret::shown_fingerprint`), whether the secret is too short to redact, and the
    /// SHA-256 of its text, never shown, by which a [`Watch`](crate::Watch) tells a
    /// change (the shown form may be `(set)` before and after).
    Fingerprint(String, bool, [u8; 32]),
    /// The leaf's text (the one its record names, or a default written as text) did not
    /// parse: no value to show (a failed load's table).
    Invalid,
}

/// What a load found for each leaf, for `explain` and [`Watch`](crate::Watch). No
/// `Debug`: it holds the load's secret texts.
#[derive(Default)]
pub(crate) struct Outcomes {
    /// The load's sources, which name each record's origin.
    pub layers: Layers,
    /// One per leaf, in declaration order, when the load keeps its outcomes
    /// (`Want::outcomes`); else empty.
    pub leaves: Vec<LeafOutcome>,
    /// Every secret text the load read (parsed or not) and every secret its parsers
    /// made: the load's redactor is made of them (see [`Outcomes::egress`]).
    pub secret_texts: Vec<Zeroizing<Vec<u8>>>,
    /// The load's redactor, when the outcomes are to be shown (`explain`).
    pub egress: Option<crate::redact::Egress>,
}

impl Outcomes {
    /// The load's redactor, at its one door: every secret text it read (the dotenvx keys
    /// it tried among them), and the secrets `settings` visits (the loaded values, after a load that
    /// succeeded).
    pub(crate) fn egress(
        &mut self,
        settings: impl FnOnce(&mut dyn FnMut(&[u8])),
    ) -> crate::redact::Egress {
        let mut texts = std::mem::take(&mut self.secret_texts);
        settings(&mut |bytes| texts.push(Zeroizing::new(bytes.to_vec())));
        crate::redact::Egress::new(texts)
    }
}
