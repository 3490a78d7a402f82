//! An independent check of our iCalendar output: Python's `icalendar` parses it (when python3
//! with `icalendar` is there; `scripts/test` installs it in a virtual environment and names that
//! interpreter in `KAKEHASHI_TEST_PYTHON`).

use std::io::Write;
use std::process::{Command, Stdio};

const SCRIPT: &str = r#"
import sys
import icalendar
text, title, start = sys.stdin.read(), sys.argv[1], sys.argv[2]
calendar = icalendar.Calendar.from_ical(text)
zones = [c for c in calendar.walk("VTIMEZONE")]
assert zones and str(zones[0]["TZID"]) == "Asia/Tokyo", zones
events = calendar.walk("VEVENT")
assert len(events) == 1, events
event = events[0]
assert str(event["SUMMARY"]) == title, event["SUMMARY"]
dtstart = event.decoded("DTSTART")
assert dtstart.isoformat() == start, dtstart.isoformat()
assert str(event["UID"]).startswith("http"), event["UID"]
print("ok")
"#;

fn python() -> String {
    std::env::var("KAKEHASHI_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn available(python: &str) -> bool {
    Command::new(python)
        .args(["-c", "import icalendar"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Parses `text` with Python's icalendar: one VEVENT titled `title` starting at `start`
/// (ISO 8601 with the zone's offset), and a VTIMEZONE for Asia/Tokyo. Skipped (with a note)
/// when the parser is not installed; fails when it is and disagrees.
pub fn parse_with_python(text: &str, title: &str, start: &str) {
    let python = python();
    if !available(&python) {
        eprintln!(
            "note: {python} with icalendar is not available; the independent .ics check is skipped"
        );
        return;
    }
    let mut child = Command::new(&python)
        .args(["-c", SCRIPT, title, start])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write the calendar");
    let output = child.wait_with_output().expect("python finishes");
    assert!(
        output.status.success(),
        "icalendar refused our calendar: {}\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
}
