//! Time zones the emulator knows, with their *standard* UTC offsets.
//!
//! Approximation, on purpose for now: daylight saving time is ignored, so a date-only bound
//! for `Europe/Paris` always means midnight at UTC+01:00. Replacing this table with real
//! zone rules (e.g. `chrono-tz`) only has to keep `offset_minutes`'s signature.

/// `(IANA name, standard offset from UTC in minutes)`.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("Etc/UTC", 0),
    ("GMT", 0),
    ("Etc/GMT", 0),
    ("Europe/London", 0),
    ("Europe/Dublin", 0),
    ("Europe/Lisbon", 0),
    ("Atlantic/Reykjavik", 0),
    ("Africa/Casablanca", 60),
    ("Africa/Lagos", 60),
    ("Europe/Paris", 60),
    ("Europe/Berlin", 60),
    ("Europe/Madrid", 60),
    ("Europe/Rome", 60),
    ("Europe/Amsterdam", 60),
    ("Europe/Brussels", 60),
    ("Europe/Luxembourg", 60),
    ("Europe/Vienna", 60),
    ("Europe/Zurich", 60),
    ("Europe/Stockholm", 60),
    ("Europe/Oslo", 60),
    ("Europe/Copenhagen", 60),
    ("Europe/Warsaw", 60),
    ("Europe/Prague", 60),
    ("Europe/Budapest", 60),
    ("Europe/Belgrade", 60),
    ("Europe/Athens", 120),
    ("Europe/Helsinki", 120),
    ("Europe/Kiev", 120),
    ("Europe/Kyiv", 120),
    ("Europe/Bucharest", 120),
    ("Europe/Sofia", 120),
    ("Europe/Riga", 120),
    ("Europe/Vilnius", 120),
    ("Europe/Tallinn", 120),
    ("Africa/Cairo", 120),
    ("Africa/Johannesburg", 120),
    ("Asia/Jerusalem", 120),
    ("Europe/Istanbul", 180),
    ("Europe/Moscow", 180),
    ("Africa/Nairobi", 180),
    ("Asia/Riyadh", 180),
    ("Asia/Tehran", 210),
    ("Asia/Dubai", 240),
    ("Asia/Karachi", 300),
    ("Asia/Tashkent", 300),
    ("Asia/Kolkata", 330),
    ("Asia/Calcutta", 330),
    ("Asia/Kathmandu", 345),
    ("Asia/Dhaka", 360),
    ("Asia/Bangkok", 420),
    ("Asia/Jakarta", 420),
    ("Asia/Ho_Chi_Minh", 420),
    ("Asia/Singapore", 480),
    ("Asia/Kuala_Lumpur", 480),
    ("Asia/Shanghai", 480),
    ("Asia/Hong_Kong", 480),
    ("Asia/Taipei", 480),
    ("Asia/Manila", 480),
    ("Australia/Perth", 480),
    ("Asia/Seoul", 540),
    ("Asia/Tokyo", 540),
    ("Australia/Adelaide", 570),
    ("Australia/Darwin", 570),
    ("Australia/Brisbane", 600),
    ("Australia/Sydney", 600),
    ("Australia/Melbourne", 600),
    ("Pacific/Auckland", 720),
    ("Pacific/Honolulu", -600),
    ("America/Anchorage", -540),
    ("America/Los_Angeles", -480),
    ("America/Vancouver", -480),
    ("America/Tijuana", -480),
    ("America/Phoenix", -420),
    ("America/Denver", -420),
    ("America/Edmonton", -420),
    ("America/Chicago", -360),
    ("America/Mexico_City", -360),
    ("America/Winnipeg", -360),
    ("America/New_York", -300),
    ("America/Toronto", -300),
    ("America/Detroit", -300),
    ("America/Bogota", -300),
    ("America/Lima", -300),
    ("America/Caracas", -240),
    ("America/Halifax", -240),
    ("America/Santiago", -240),
    ("America/Sao_Paulo", -180),
    ("America/Argentina/Buenos_Aires", -180),
    ("America/Buenos_Aires", -180),
    ("America/Montevideo", -180),
];

/// The zone's standard offset in minutes, `None` for a name the emulator does not know.
pub fn offset_minutes(name: &str) -> Option<i32> {
    ZONES.iter().find(|(n, _)| *n == name).map(|(_, off)| *off)
}

pub fn is_known(name: &str) -> bool {
    offset_minutes(name).is_some()
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookups() {
        assert_eq!(super::offset_minutes("Europe/Paris"), Some(60));
        assert_eq!(super::offset_minutes("America/New_York"), Some(-300));
        assert!(super::is_known("UTC"));
        assert!(!super::is_known("Mars/Olympus_Mons"));
        assert!(!super::is_known("europe/paris"));
    }
}
