//! Generates the SetUserMFAPreference client into OUT_DIR the way a user's
//! build script would, so the `build_script` test can prove the library API.

fn main() {
    smithgen::Config::new()
        .model("../model/cognito-set-user-mfa-preference.json")
        .operation("SetUserMFAPreference")
        .module_path("crate::cognito")
        .compile()
        .unwrap_or_else(|err| panic!("smithgen failed: {err}"));
}
