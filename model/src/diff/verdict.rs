//! Verdicts, audiences and directions: who a change can break.

use serde::Serialize;

use super::rules::Rule;

/// How serious a change is for one audience. Ordered: `Info < Warning < Breaking`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No action needed.
    Info,
    /// May need attention (e.g. an unknown enum value may reach code).
    Warning,
    /// Existing clients of this audience can fail.
    Breaking,
}

impl Verdict {
    /// The kebab-case name (`breaking`, `warning`, `info`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Info => "info",
            Verdict::Warning => "warning",
            Verdict::Breaking => "breaking",
        }
    }
}

/// One reader or writer of the API whose code a change can break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    /// Reads responses and ignores unknown elements.
    TolerantReader,
    /// Validates responses against the schema it was built with.
    ValidatingReader,
    /// Writes requests.
    RequestProducer,
}

impl Audience {
    /// All audiences, in report order.
    pub const ALL: [Audience; 3] = [
        Audience::TolerantReader,
        Audience::ValidatingReader,
        Audience::RequestProducer,
    ];

    /// The kebab-case name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Audience::TolerantReader => "tolerant-reader",
            Audience::ValidatingReader => "validating-reader",
            Audience::RequestProducer => "request-producer",
        }
    }
}

/// Which audiences a report or an exit code considers (`--audience`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AudienceFilter {
    /// Tolerant and validating response readers.
    ResponseConsumer,
    /// Response readers that ignore unknown elements.
    TolerantReader,
    /// Response readers that validate against their old schema.
    ValidatingReader,
    /// Request writers.
    RequestProducer,
    /// Everyone.
    #[default]
    All,
}

impl AudienceFilter {
    /// Whether `audience` is selected.
    pub fn includes(self, audience: Audience) -> bool {
        match self {
            AudienceFilter::All => true,
            AudienceFilter::ResponseConsumer => audience != Audience::RequestProducer,
            AudienceFilter::TolerantReader => audience == Audience::TolerantReader,
            AudienceFilter::ValidatingReader => audience == Audience::ValidatingReader,
            AudienceFilter::RequestProducer => audience == Audience::RequestProducer,
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            AudienceFilter::ResponseConsumer => "response-consumer",
            AudienceFilter::TolerantReader => "tolerant-reader",
            AudienceFilter::ValidatingReader => "validating-reader",
            AudienceFilter::RequestProducer => "request-producer",
            AudienceFilter::All => "all",
        }
    }
}

/// In which messages a schema component occurs: request content, response content, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Directions {
    /// Part of requests (written by API users).
    pub request: bool,
    /// Part of responses (read by API users).
    pub response: bool,
}

impl Directions {
    /// Neither (not reachable).
    pub const NONE: Directions = Directions {
        request: false,
        response: false,
    };
    /// Request content only.
    pub const REQUEST: Directions = Directions {
        request: true,
        response: false,
    };
    /// Response content only.
    pub const RESPONSE: Directions = Directions {
        request: false,
        response: true,
    };
    /// Both.
    pub const BOTH: Directions = Directions {
        request: true,
        response: true,
    };

    /// Union of two sets of directions.
    pub fn union(self, other: Directions) -> Directions {
        Directions {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    /// Whether neither direction is set.
    pub fn is_empty(self) -> bool {
        !self.request && !self.response
    }

    /// `request`, `response`, `request+response` or `none`.
    pub fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "request+response",
            (true, false) => "request",
            (false, true) => "response",
            (false, false) => "none",
        }
    }
}

/// The verdict of one change for every audience; `None` where the audience never sees the
/// changed component (e.g. request producers for response-only content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Verdicts {
    /// Tolerant response reader.
    #[serde(rename = "tolerant-reader")]
    pub tolerant_reader: Option<Verdict>,
    /// Validating response reader.
    #[serde(rename = "validating-reader")]
    pub validating_reader: Option<Verdict>,
    /// Request producer.
    #[serde(rename = "request-producer")]
    pub request_producer: Option<Verdict>,
}

impl Verdicts {
    /// Apply `rule` to a component occurring in `directions`.
    pub fn classify(rule: &Rule, directions: Directions) -> Verdicts {
        Verdicts {
            tolerant_reader: directions.response.then_some(rule.tolerant_reader),
            validating_reader: directions.response.then_some(rule.validating_reader),
            request_producer: directions.request.then_some(rule.request_producer),
        }
    }

    /// The verdict for one audience.
    pub fn get(&self, audience: Audience) -> Option<Verdict> {
        match audience {
            Audience::TolerantReader => self.tolerant_reader,
            Audience::ValidatingReader => self.validating_reader,
            Audience::RequestProducer => self.request_producer,
        }
    }

    /// The most serious verdict among the selected audiences (`None` if none applies).
    pub fn worst(&self, filter: AudienceFilter) -> Option<Verdict> {
        Audience::ALL
            .iter()
            .filter(|a| filter.includes(**a))
            .filter_map(|a| self.get(*a))
            .max()
    }
}
