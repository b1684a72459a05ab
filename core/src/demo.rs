//! The sample network.
