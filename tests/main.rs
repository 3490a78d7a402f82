//! The one integration test binary: `support/` (TestApp, test databases, processes) and one module
//! per capability.

mod foundation;
mod support;
