//! Known violations, recorded by `seamline baseline` so that `seamline check --baseline` fails only on new ones.
//! Takes check violations; returns (and reads back) a JSON file of `(rule, key)` pairs, sorted, without lines.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Violation;

/// Format version of the baseline file.
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub rule: String,
    pub key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub seamline_baseline: u32,
    pub violations: BTreeSet<Entry>,
}

impl Baseline {
    /// Records every violation, whatever its severity.
    pub fn of(violations: &[Violation]) -> Baseline {
        let violations = violations.iter().map(|v| Entry { rule: v.rule.clone(), key: v.key.clone() }).collect();
        Baseline { seamline_baseline: VERSION, violations }
    }

    pub fn contains(&self, rule: &str, key: &str) -> bool {
        self.violations.contains(&Entry { rule: rule.to_owned(), key: key.to_owned() })
    }

    /// Entries that no violation matches any more (fixed since the baseline was written).
    pub fn entries_not_in(&self, violations: &[Violation]) -> Vec<Entry> {
        let seen: BTreeSet<(&str, &str)> = violations.iter().map(|v| (v.rule.as_str(), v.key.as_str())).collect();
        self.violations.iter().filter(|e| !seen.contains(&(e.rule.as_str(), e.key.as_str()))).cloned().collect()
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| format!("not a seamline baseline ({e})"))?;
        if baseline.seamline_baseline != VERSION {
            return Err(format!(
                "baseline format {} is not supported (this seamline writes {VERSION}); run `seamline baseline` again",
                baseline.seamline_baseline
            ));
        }
        Ok(baseline)
    }
}
