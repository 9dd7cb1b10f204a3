//! Time limits on operations.
//!
//! A [`TimeoutConfig`] is set with [`crate::config::Builder::timeout_config`].
//! Every limit is off unless set:
//!
//! * **operation attempt timeout**: how long one attempt (sending a request
//!   and reading its response) may take. An attempt that runs out of time
//!   fails with [`crate::error::SdkError::TimeoutError`] and, like any
//!   timeout, is retried if attempts are left.
//! * **operation timeout**: how long the whole operation may take, every
//!   attempt and every backoff delay included. When it runs out the operation
//!   fails with [`crate::error::SdkError::TimeoutError`] at once.
//! * **connect timeout**: how long to wait for a TCP connection. It applies
//!   to the default transport only (the one created when no
//!   [`crate::http::HttpClient`] is configured); a configured transport keeps
//!   its own settings. Without it the default transport waits 10 seconds.
//!
//! The limits are enforced with the client's [`crate::time::AsyncSleep`].

use std::time::Duration;

/// Time limits on operations. See the [module documentation](self).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeoutConfig {
    operation_timeout: Option<Duration>,
    operation_attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
}

impl TimeoutConfig {
    /// No limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Limits each attempt.
    pub fn with_operation_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.operation_attempt_timeout = Some(timeout);
        self
    }

    /// Limits the whole operation, retries included.
    pub fn with_operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Limits how long the default transport waits for a connection.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets or clears the limit on each attempt.
    pub fn set_operation_attempt_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.operation_attempt_timeout = timeout;
        self
    }

    /// Sets or clears the limit on the whole operation.
    pub fn set_operation_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.operation_timeout = timeout;
        self
    }

    /// Sets or clears the connect timeout of the default transport.
    pub fn set_connect_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limit on each attempt.
    pub fn operation_attempt_timeout(&self) -> Option<Duration> {
        self.operation_attempt_timeout
    }

    /// The limit on the whole operation.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The connect timeout of the default transport.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_and_accessors() {
        let config = TimeoutConfig::new();
        assert_eq!(config, TimeoutConfig::default());
        assert_eq!(config.operation_attempt_timeout(), None);
        assert_eq!(config.operation_timeout(), None);
        assert_eq!(config.connect_timeout(), None);

        let config = TimeoutConfig::new()
            .with_operation_attempt_timeout(Duration::from_secs(1))
            .with_operation_timeout(Duration::from_secs(5))
            .with_connect_timeout(Duration::from_millis(300));
        assert_eq!(
            config.operation_attempt_timeout(),
            Some(Duration::from_secs(1))
        );
        assert_eq!(config.operation_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(config.connect_timeout(), Some(Duration::from_millis(300)));

        let mut config = config;
        config
            .set_operation_attempt_timeout(None)
            .set_operation_timeout(None)
            .set_connect_timeout(None);
        assert_eq!(config, TimeoutConfig::new());
    }
}
