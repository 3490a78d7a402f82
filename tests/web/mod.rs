//! Web pages as a browser gets them (in-process; the Chromium suite drives a live server).

pub mod groups;
mod profiles;
