//! Where a client's region comes from.
//!
//! The first of these that names a region:
//!
//! 1. the configuration, [`crate::config::Builder::region`];
//! 2. `AWS_REGION`, then `AWS_DEFAULT_REGION`;
//! 3. the `region` setting of the profile in the shared config and
//!    credentials files (`AWS_PROFILE`, else `default`; see
//!    [`crate::credentials::profile`]);
//! 4. EC2 instance metadata, `/latest/meta-data/placement/region` through
//!    IMDSv2 (see [`crate::credentials::imds`]; `AWS_EC2_METADATA_DISABLED=true`
//!    turns it off).
//!
//! The first three are read once, when the client is created
//! ([`crate::client::Handle::new`]). Instance metadata is asked only when a
//! request needs a region none of them gave (a signed operation, or one
//! without an endpoint URL), on the first such request, through the
//! client's transport; its answer, or why there is none, is kept for the
//! client's lifetime, so a machine that is not an EC2 instance waits for it
//! once.

use std::fmt;

use crate::credentials::chain::Context;
use crate::http::SharedHttpClient;
use crate::time::AsyncSleep;

/// Environment variable naming the region.
pub const ENV_REGION: &str = "AWS_REGION";
/// Environment variable naming the region, read when [`ENV_REGION`] is unset.
pub const ENV_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";

/// The region of the environment (`AWS_REGION`, then `AWS_DEFAULT_REGION`),
/// else of the profile, as read through `lookup`.
pub(crate) fn from_environment_or_profile(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    lookup(ENV_REGION)
        .or_else(|| lookup(ENV_DEFAULT_REGION))
        .or_else(|| crate::credentials::profile::region(lookup))
}

/// The region from instance metadata, asked once.
#[derive(Default)]
pub(crate) struct ImdsRegion {
    answer: tokio::sync::OnceCell<Result<String, String>>,
}

impl fmt::Debug for ImdsRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ImdsRegion")
            .field(&self.answer.get())
            .finish()
    }
}

impl ImdsRegion {
    /// The answer, if instance metadata was asked already.
    pub(crate) fn known(&self) -> Option<&Result<String, String>> {
        self.answer.get()
    }

    /// The region, or why instance metadata has none. The first call asks;
    /// later ones (and those made while it asks) get the same answer.
    pub(crate) async fn get(
        &self,
        env: &(dyn Fn(&str) -> Option<String> + Send + Sync),
        http: Option<&SharedHttpClient>,
        sleep: &dyn AsyncSleep,
    ) -> &Result<String, String> {
        self.answer
            .get_or_init(|| async {
                let context = Context { env, http, sleep };
                crate::credentials::imds::region(&context).await
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{block_on, env};

    #[test]
    fn environment_then_profile() {
        let dir = std::env::temp_dir().join(format!("smithgen-region-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(
            dir.join(".aws/config"),
            "[default]\nregion = ap-south-1\n[profile dev]\nregion = eu-west-2\n",
        )
        .unwrap();
        let home = dir.to_str().unwrap();
        let region = |pairs: &[(&str, &str)]| from_environment_or_profile(&env(pairs));
        assert_eq!(region(&[("HOME", home)]).as_deref(), Some("ap-south-1"));
        assert_eq!(
            region(&[("HOME", home), ("AWS_PROFILE", "dev")]).as_deref(),
            Some("eu-west-2")
        );
        assert_eq!(
            region(&[("HOME", home), ("AWS_DEFAULT_REGION", "us-west-2")]).as_deref(),
            Some("us-west-2")
        );
        assert_eq!(
            region(&[
                ("HOME", home),
                ("AWS_DEFAULT_REGION", "us-west-2"),
                ("AWS_REGION", "us-east-2")
            ])
            .as_deref(),
            Some("us-east-2")
        );
        assert_eq!(region(&[("HOME", home), ("AWS_PROFILE", "none")]), None);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(region(&[]), None);
    }

    #[test]
    fn instance_metadata_is_asked_once() {
        let imds = ImdsRegion::default();
        assert!(imds.known().is_none());
        let vars = env(&[("AWS_EC2_METADATA_DISABLED", "true")]);
        let answer = block_on(imds.get(&vars, None, &crate::time::ThreadSleep));
        assert_eq!(
            answer,
            &Err("disabled by AWS_EC2_METADATA_DISABLED".to_owned())
        );
        // Not asked again, even with another environment.
        let answer = block_on(imds.get(&env(&[]), None, &crate::time::ThreadSleep));
        assert!(answer.is_err());
        assert!(imds.known().is_some());
    }
}
