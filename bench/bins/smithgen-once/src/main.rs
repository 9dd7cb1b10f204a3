//! Calls SetUserMFAPreference once through the smithgen-generated client
//! against the endpoint URL given as the only argument, and prints the result.

use smithgen_cognito::types::SmsMfaSettingsType;
use smithgen_cognito::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: smithgen-once ENDPOINT-URL");
        return std::process::ExitCode::from(2);
    };
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .build();
    let client = Client::from_conf(config);
    let result = client
        .set_user_mfa_preference()
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .access_token(std::env::var("ACCESS_TOKEN").unwrap_or_else(|_| "token".into()))
        .send()
        .await;
    match result {
        Ok(output) => {
            println!("{output:?}");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err:?}");
            std::process::ExitCode::FAILURE
        }
    }
}
