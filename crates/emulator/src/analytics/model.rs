//! Conversion predictions (realtime map `conversionLikelihood`, visitor detail
//! `prediction`).
//!
//! The real API's model is not documented. This one is small and explainable (inferred):
//! for a visitor's country, device and referrer, the share of past visitors with that
//! value who paid; their mean is the visitor's conversion rate, and the score compares it
//! with the website's baseline (50 = baseline, above 50 = likelier than average).

use super::{fast_map, money, FastMap, Ids, MoneySums};
use crate::state::{Dims, Event, EventKind};

/// Values seen on fewer visitors than this are too noisy to use.
const MIN_SAMPLE: u64 = 30;

/// Reads one dimension's value from a visit.
type Reader = fn(&Dims) -> &str;

/// The modelled dimensions: name in `dimensionMatches`, and how to read it from a visit.
const DIMENSIONS: &[(&str, Reader)] =
    &[("country", |d| &d.country_code), ("device", |d| &d.device), ("referrer", |d| &d.referrer)];

/// Per-value visitor and payer counts, built from every event of a website.
#[derive(Debug)]
pub struct Model<'a> {
    /// Share of visitors who paid, 0–1.
    pub baseline_rate: f64,
    /// Average revenue per paying visitor.
    pub baseline_value: f64,
    visitors: u64,
    /// Per dimension: value → (visitors, payers).
    counts: Vec<FastMap<&'a str, (u64, u64)>>,
}

/// How one of the visitor's values compares.
#[derive(Clone, Debug, PartialEq)]
pub struct DimensionMatch<'a> {
    pub dimension: &'static str,
    pub value: &'a str,
    pub conversion_rate: f64,
    pub visitors: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Prediction<'a> {
    /// 0–100; 50 means "as likely as the average visitor".
    pub score: u32,
    /// 0–1.
    pub conversion_rate: f64,
    pub average_value: f64,
    pub expected_value: f64,
    /// 0–1: grows with the number of past visitors the estimate rests on.
    pub confidence: f64,
    /// No value of the visitor had enough data: the baseline was used.
    pub is_baseline: bool,
    pub matches: Vec<DimensionMatch<'a>>,
}

impl<'a> Model<'a> {
    /// `None` when the website has no payments: there is nothing to model.
    pub fn build(events: &'a [Event]) -> Option<Model<'a>> {
        let mut ids = Ids::with_capacity(events.len() / 4);
        // Per visitor: the dimensions of their first pageview, and what they paid.
        let mut first: Vec<Option<(i64, &'a Dims)>> = Vec::new();
        let mut paid: Vec<MoneySums> = Vec::new();
        for e in events {
            let v = ids.id(&e.visitor_id);
            if first.len() <= v {
                first.resize(v + 1, None);
                paid.resize(v + 1, MoneySums::default());
            }
            if e.kind == EventKind::Payment {
                if let (Some(m), Some(p)) = (money(e), paid.get_mut(v)) {
                    p.add(m);
                }
            } else if e.kind == EventKind::Pageview {
                if let Some(slot) = first.get_mut(v) {
                    if slot.is_none_or(|(ts, _)| e.ts < ts) {
                        *slot = Some((e.ts, &*e.dims));
                    }
                }
            }
        }
        let mut counts: Vec<FastMap<&'a str, (u64, u64)>> = DIMENSIONS.iter().map(|_| fast_map(32)).collect();
        let (mut visitors, mut payers, mut revenue) = (0u64, 0u64, 0.0);
        for (slot, p) in first.iter().zip(&paid) {
            let Some((_, dims)) = slot else { continue };
            let is_payer = p.payments > 0;
            visitors += 1;
            payers += u64::from(is_payer);
            revenue += p.revenue();
            for ((_, read), map) in DIMENSIONS.iter().zip(counts.iter_mut()) {
                let c = map.entry(read(dims)).or_default();
                c.0 += 1;
                c.1 += u64::from(is_payer);
            }
        }
        if payers == 0 {
            return None;
        }
        Some(Model {
            baseline_rate: payers as f64 / visitors.max(1) as f64,
            baseline_value: revenue / payers as f64,
            visitors,
            counts,
        })
    }

    pub fn predict<'d>(&self, dims: &'d Dims) -> Prediction<'d> {
        let mut matches = Vec::new();
        for ((name, read), map) in DIMENSIONS.iter().zip(&self.counts) {
            let value = read(dims);
            if let Some(&(visitors, payers)) = map.get(value) {
                if visitors >= MIN_SAMPLE {
                    matches.push(DimensionMatch {
                        dimension: name,
                        value,
                        conversion_rate: payers as f64 / visitors as f64,
                        visitors,
                    });
                }
            }
        }
        let is_baseline = matches.is_empty();
        let (rate, sample) = if is_baseline {
            (self.baseline_rate, self.visitors as f64 / 2.0)
        } else {
            let n = matches.len() as f64;
            (
                matches.iter().map(|m| m.conversion_rate).sum::<f64>() / n,
                matches.iter().map(|m| m.visitors as f64).sum::<f64>() / n,
            )
        };
        let score = (100.0 * super::ratio(rate, rate + self.baseline_rate)).round().clamp(0.0, 99.0) as u32;
        Prediction {
            score,
            conversion_rate: rate,
            average_value: self.baseline_value,
            expected_value: rate * self.baseline_value,
            confidence: (sample / 1000.0).min(1.0),
            is_baseline,
            matches,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arcstr::ArcStr;
    use std::sync::Arc;

    fn visit(id: usize, country: &str, pays: bool) -> Vec<Event> {
        let visitor: ArcStr = format!("v{id}").into();
        let dims = Arc::new(Dims {
            country_code: country.into(),
            device: "desktop".into(),
            referrer: "Google".into(),
            ..Dims::default()
        });
        let mut e = crate::analytics::test_event(&visitor, &visitor, id as i64, dims);
        let mut out = vec![e.clone()];
        if pays {
            e.kind = EventKind::Payment;
            e.amount = Some(50.0);
            out.push(e);
        }
        out
    }

    #[test]
    fn likelier_values_score_higher() {
        assert!(Model::build(&visit(0, "US", false)).is_none(), "no payments, no model");
        // 100 US visitors, 20 pay; 100 French visitors, 2 pay.
        let events: Vec<Event> = (0..200)
            .flat_map(|i| visit(i, if i < 100 { "US" } else { "FR" }, i % 5 == 0 && (i < 100 || i % 50 == 0)))
            .collect();
        let model = Model::build(&events).unwrap();
        assert!((model.baseline_rate - 22.0 / 200.0).abs() < 1e-9);
        assert_eq!(model.baseline_value, 50.0);
        let us = model.predict(&events[0].dims);
        let fr = model.predict(&events.last().unwrap().dims);
        assert!(us.score > 50 && fr.score < 50, "{} {}", us.score, fr.score);
        assert!(!us.is_baseline);
        assert_eq!(us.matches.len(), 3);
        let nowhere = Dims::default();
        let unknown = model.predict(&nowhere);
        assert!(unknown.is_baseline);
        assert_eq!(unknown.score, 50);
    }
}
