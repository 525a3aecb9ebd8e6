//! Shapes third-party clients and the older docs' examples rely on, as CONTRACT.md gives
//! them (DECISIONS.md records each choice). Payments' visitor ids in any format are in
//! `writes.rs`, the rate-limit headers with `--rate-limit off` in `api.rs`.

mod common;

use common::*;
use serde_json::Value;

fn is_region_code(v: &Value) -> bool {
    v.as_str().and_then(|s| s.split_once('-')).is_some_and(|(country, sub)| {
        country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) && !sub.is_empty()
    })
}

/// 1 and 2: the map's `dimensionMatches` are dimension names, its regions ISO 3166-2 codes.
#[tokio::test]
async fn realtime_map_names_matched_dimensions_and_region_codes() {
    let e = emu_live();
    let map = e.list("/api/v1/analytics/realtime/map", e.key(0)).await;
    let visitors = map["visitors"].as_array().unwrap();
    assert!(!visitors.is_empty(), "no live visitors: {map}");
    let mut matches_seen = 0;
    for v in visitors {
        assert!(is_region_code(&v["location"]["region"]), "{}", v["location"]);
        let code = v["location"]["countryCode"].as_str().unwrap();
        assert!(v["location"]["region"].as_str().unwrap().starts_with(&format!("{code}-")));
        if let Some(matches) = v["conversionLikelihood"]["dimensionMatches"].as_array() {
            for m in matches {
                let name = m.as_str().unwrap_or_else(|| panic!("not a dimension name: {m}"));
                assert!(["device", "os", "browser", "country", "referrer"].contains(&name), "{name}");
                matches_seen += 1;
            }
        }
    }
    assert!(matches_seen > 0, "no visitor had a dimension match: {map}");
}

/// 2, 3 and 6: the visitor detail in codes, with the Gen-1 goal list and its system details.
#[tokio::test]
async fn visitor_detail_codes_goals_and_system_details() {
    let e = emu();
    // Visitors of every kind of device from the list, plus the sample visitor (who has goals).
    let rows = e.list("/api/v1/visitors?limit=40", e.key(0)).await;
    let mut ids: Vec<String> =
        rows.as_array().unwrap().iter().map(|r| r["visitorId"].as_str().unwrap().to_string()).collect();
    ids.push(e.creds.websites[0].sample_visitor_id.clone());
    let mut devices = std::collections::HashSet::new();
    for id in &ids {
        let d = e.list(&format!("/api/v1/visitors/{id}"), e.key(0)).await;
        let identity = &d["identity"];
        assert_eq!(identity["country"], identity["countryCode"], "{identity}");
        assert_eq!(identity["country"].as_str().map(str::len), Some(2), "{identity}");
        assert!(is_region_code(&identity["region"]), "{identity}");
        assert!(identity["browser"]["version"].is_string(), "{identity}");
        if identity["os"]["name"] != "Linux" {
            assert!(identity["os"]["version"].is_string(), "{identity}");
        }
        let (w, h) = (&identity["viewport"]["width"], &identity["viewport"]["height"]);
        assert!(w.as_u64().is_some_and(|w| w >= 320) && h.as_u64().is_some_and(|h| h >= 400), "{identity}");
        devices.insert(identity["device"]["type"].as_str().unwrap().to_string());
        assert_eq!(d["activity"]["completedCustomGoals"], d["activity"]["completedGoals"]);
        // The same visitor shows the same details on every request.
        assert_eq!(e.list(&format!("/api/v1/visitors/{id}"), e.key(0)).await["identity"], *identity);
    }
    assert_eq!(devices.len(), 3, "{devices:?}");
    let sample = e.list(&format!("/api/v1/visitors/{}", e.creds.websites[0].sample_visitor_id), e.key(0)).await;
    assert!(!sample["activity"]["completedCustomGoals"].as_array().unwrap().is_empty(), "{sample}");
}

/// 2: the visitors list shows the country code and the subdivision part of the region code,
/// as the contract's example (`"country":"US","region":"CA"`), consistent with the detail.
#[tokio::test]
async fn visitors_list_codes_agree_with_the_detail() {
    let e = emu();
    let rows = e.list("/api/v1/visitors?limit=20", e.key(0)).await;
    for row in rows.as_array().unwrap() {
        let id = row["visitorId"].as_str().unwrap();
        let detail = e.list(&format!("/api/v1/visitors/{id}"), e.key(0)).await;
        assert_eq!(row["identity"]["country"], detail["identity"]["country"]);
        let full = detail["identity"]["region"].as_str().unwrap();
        assert_eq!(Some(full.split_once('-').unwrap().1), row["identity"]["region"].as_str(), "{row}");
    }
}
