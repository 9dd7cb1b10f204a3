//! The TLS crypto provider the built-in transport speaks with, by feature.
#![cfg(feature = "default-client")]

use smithgen_runtime::http::tls_provider;

/// The key exchange groups the transport offers, in its order of preference.
fn key_exchange_groups() -> Vec<String> {
    tls_provider()
        .kx_groups
        .iter()
        .map(|group| format!("{:?}", group.name()))
        .collect()
}

/// One test, because installing a process-wide provider is for good.
#[test]
fn the_provider_follows_the_features_then_the_programs_choice() {
    let groups = key_exchange_groups();
    if cfg!(feature = "tls-aws-lc") {
        // Post-quantum hybrid key exchange first, classical after it.
        assert_eq!(groups[0], "X25519MLKEM768", "{groups:?}");
        assert!(groups.iter().any(|g| g == "X25519"), "{groups:?}");
    } else {
        assert_eq!(groups[0], "X25519", "{groups:?}");
        assert!(!groups.iter().any(|g| g.contains("MLKEM")), "{groups:?}");
    }

    // A provider the program installs is used instead.
    let mut chosen = tls_provider();
    chosen
        .kx_groups
        .retain(|g| format!("{:?}", g.name()) == "secp384r1");
    assert_eq!(chosen.kx_groups.len(), 1);
    chosen.install_default().expect("no provider installed yet");
    assert_eq!(key_exchange_groups(), ["secp384r1"]);
}
