//! The shared config and credentials files (`~/.aws/config`,
//! `~/.aws/credentials`).
//!
//! The profile is the one named by `AWS_PROFILE`, else `default` (a
//! [`DefaultCredentialsChain`](super::DefaultCredentialsChain) built with
//! `profile_name` reads that one instead). Its settings are those of:
//!
//! * the section `[profile NAME]` of the config file, `AWS_CONFIG_FILE`
//!   (default `~/.aws/config`); for `default`, `[default]` also counts when
//!   there is no `[profile default]`; other sections (`[sso-session …]`,
//!   `[services …]`) are not profiles;
//! * the section `[NAME]` of the credentials file,
//!   `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`), whose
//!   settings win over the config file's.
//!
//! `~` at the start of a path is the home directory (`HOME`, else
//! `USERPROFILE` on Windows). A file that does not exist is empty; one that
//! cannot be read or parsed is an error.
//!
//! The format: `[section]` lines, `name = value` lines (names are not case
//! sensitive), comment lines starting with `#` or `;`, and comments after a
//! value when `#` or `;` follows whitespace. An indented line continues the
//! value above it. Sections and settings that repeat are merged, the last
//! value winning.
//!
//! The credentials, in the order [`aws-config`] reads them:
//!
//! | setting | |
//! | --- | --- |
//! | `credential_process` | a command printing credentials (see [`super::process`]) |
//! | `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` | static keys; half a key pair is an error |
//!
//! A profile that names a role to assume (`role_arn`, `credential_source`),
//! a web identity token (`web_identity_token_file`), or IAM Identity Center
//! (`sso_session`, `sso_start_url`) is an error saying to use `aws-config`'s
//! provider instead, as is `login_session`.
//!
//! The profile's `region` is the client's region when neither the
//! configuration nor `AWS_REGION`/`AWS_DEFAULT_REGION` set one (see
//! [`crate::region`]).
//!
//! [`aws-config`]: https://docs.rs/aws-config

use std::collections::BTreeMap;
use std::path::PathBuf;

use aws_credential_types::provider::error::CredentialsError;

use super::chain::{Context, Lookup};
use super::Credentials;

/// Environment variable naming the profile.
pub const ENV_PROFILE: &str = "AWS_PROFILE";
/// Environment variable naming the config file.
pub const ENV_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
/// Environment variable naming the credentials file.
pub const ENV_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";

/// The profile read when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Settings that need a provider this chain does not have, with what they
/// are.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("role_arn", "a role to assume"),
    ("credential_source", "a role to assume"),
    ("web_identity_token_file", "a web identity token"),
    ("sso_session", "IAM Identity Center (SSO)"),
    ("sso_start_url", "IAM Identity Center (SSO)"),
    ("login_session", "a console login session"),
];

/// Which of the two files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Config,
    Credentials,
}

/// One of the two files as read.
#[derive(Debug)]
struct File {
    /// The path, or why there is none.
    path: Result<PathBuf, String>,
    /// The sections; empty when the file does not exist.
    sections: Vec<Section>,
    exists: bool,
}

impl File {
    /// The path for messages, with a note when the file is absent.
    fn describe(&self) -> String {
        match &self.path {
            Ok(path) if self.exists => path.display().to_string(),
            Ok(path) => format!("{} (no such file)", path.display()),
            Err(why) => why.clone(),
        }
    }
}

/// A section of a file.
#[derive(Debug, Default)]
struct Section {
    /// The profile it belongs to; `None` for sections that are not profiles.
    profile: Option<String>,
    /// Whether it was written `[profile NAME]` (in the config file).
    prefixed: bool,
    /// Names (lower case) and values, in order.
    properties: Vec<(String, String)>,
}

/// The profile selected, as the two files define it.
#[derive(Debug)]
pub(crate) struct Profile {
    /// Its name.
    pub(crate) name: String,
    credentials_file: File,
    config_file: File,
    /// The merged settings; `None` when neither file has the profile.
    settings: Option<BTreeMap<String, String>>,
}

impl Profile {
    /// Reads the profile `name` (else `AWS_PROFILE`'s, else `default`) from
    /// the files `env` points at. Fails when a file cannot be read or parsed.
    pub(crate) fn load(
        env: &dyn Fn(&str) -> Option<String>,
        name: Option<&str>,
    ) -> Result<Self, String> {
        let name = name
            .map(str::to_owned)
            .or_else(|| env(ENV_PROFILE))
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let home = home_dir(env);
        let credentials_file = read(
            Kind::Credentials,
            file_path(env, ENV_SHARED_CREDENTIALS_FILE, "credentials", &home),
        )?;
        let config_file = read(
            Kind::Config,
            file_path(env, ENV_CONFIG_FILE, "config", &home),
        )?;
        let settings = merge(&name, &config_file.sections, &credentials_file.sections);
        Ok(Profile {
            name,
            credentials_file,
            config_file,
            settings,
        })
    }

    /// The setting `key`, when the profile has it.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.settings
            .as_ref()?
            .get(key)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    /// Whether either file has the profile.
    pub(crate) fn exists(&self) -> bool {
        self.settings.is_some()
    }

    /// Where the profile was looked for, for messages.
    fn files(&self) -> String {
        format!(
            "{} or {}",
            self.credentials_file.describe(),
            self.config_file.describe()
        )
    }
}

/// The region of the selected profile, if the files can be read and it has
/// one.
pub(crate) fn region(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let profile = Profile::load(env, None).ok()?;
    profile.get("region").map(str::to_owned)
}

/// The profile source of the default chain.
pub(crate) async fn credentials(context: &Context<'_>, name: Option<&str>) -> Lookup {
    let env = |name: &str| context.var(name);
    let profile = match Profile::load(&env, name) {
        Ok(profile) => profile,
        Err(err) => {
            return Lookup::Failed(CredentialsError::invalid_configuration(format!(
                "profile: {err}"
            )))
        }
    };
    let source = format!("profile `{}`", profile.name);
    if !profile.exists() {
        return Lookup::missing(source, format!("no such section in {}", profile.files()));
    }
    if let Some((key, what)) = UNSUPPORTED
        .iter()
        .find(|(key, _)| profile.get(key).is_some())
    {
        return Lookup::Failed(CredentialsError::invalid_configuration(format!(
            "{source} uses `{key}` ({what}), which the built-in credentials chain does not \
             support: use aws-config's provider with `Config::builder().credentials_provider(..)`"
        )));
    }
    if let Some(command) = profile.get("credential_process") {
        return match super::process::credentials(command).await {
            Ok(credentials) => Lookup::Found(credentials),
            Err(err) => {
                Lookup::Failed(CredentialsError::provider_error(format!("{source}: {err}")))
            }
        };
    }
    let access_key_id = profile.get("aws_access_key_id");
    let secret_access_key = profile.get("aws_secret_access_key");
    match (access_key_id, secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => Lookup::Found(Credentials::new(
            access_key_id,
            secret_access_key,
            profile.get("aws_session_token").map(str::to_owned),
        )),
        (None, None) => Lookup::missing(
            source,
            format!(
                "neither aws_access_key_id nor credential_process is set in {}",
                profile.files()
            ),
        ),
        (Some(_), None) | (None, Some(_)) => {
            let (has, lacks) = if access_key_id.is_some() {
                ("aws_access_key_id", "aws_secret_access_key")
            } else {
                ("aws_secret_access_key", "aws_access_key_id")
            };
            Lookup::Failed(CredentialsError::invalid_configuration(format!(
                "{source} sets {has} but not {lacks} (in {})",
                profile.files()
            )))
        }
    }
}

/// The home directory: `HOME`, else (on Windows) `USERPROFILE`.
fn home_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("HOME")
        .or_else(|| {
            if cfg!(windows) {
                env("USERPROFILE")
            } else {
                None
            }
        })
        .map(PathBuf::from)
}

/// The path named by variable `var`, else `~/.aws/{default_name}`.
fn file_path(
    env: &dyn Fn(&str) -> Option<String>,
    var: &str,
    default_name: &str,
    home: &Option<PathBuf>,
) -> Result<PathBuf, String> {
    let no_home = |path: &str| format!("{path} (no home directory: HOME is not set)");
    match env(var) {
        Some(path) => expand_home(&path, home).ok_or_else(|| no_home(&path)),
        None => match home {
            Some(home) => Ok(home.join(".aws").join(default_name)),
            None => Err(no_home(&format!("~/.aws/{default_name}"))),
        },
    }
}

/// `path` with a leading `~` replaced by the home directory; `None` when it
/// has one and there is no home directory.
fn expand_home(path: &str, home: &Option<PathBuf>) -> Option<PathBuf> {
    let rest = match path.strip_prefix('~') {
        None => return Some(PathBuf::from(path)),
        Some(rest) => rest,
    };
    let rest = if rest.is_empty() {
        ""
    } else if let Some(rest) = rest
        .strip_prefix('/')
        .or_else(|| rest.strip_prefix(std::path::MAIN_SEPARATOR))
    {
        rest
    } else {
        // `~user/…` is not expanded.
        return Some(PathBuf::from(path));
    };
    let home = home.as_ref()?;
    Some(if rest.is_empty() {
        home.clone()
    } else {
        home.join(rest)
    })
}

/// Reads and parses one file; a file that does not exist is empty.
fn read(kind: Kind, path: Result<PathBuf, String>) -> Result<File, String> {
    let Ok(existing) = &path else {
        return Ok(File {
            path,
            sections: Vec::new(),
            exists: false,
        });
    };
    let text = match std::fs::read_to_string(existing) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(File {
                path,
                sections: Vec::new(),
                exists: false,
            })
        }
        Err(err) => return Err(format!("cannot read {}: {err}", existing.display())),
    };
    let sections = parse(&text, kind).map_err(|err| format!("{}: {err}", existing.display()))?;
    Ok(File {
        path,
        sections,
        exists: true,
    })
}

/// The text of `line` before a comment: `#` or `;` at the start, or after
/// whitespace when `after_whitespace`.
fn strip_comment(line: &str, after_whitespace: bool) -> &str {
    let mut previous_whitespace = !after_whitespace;
    for (index, c) in line.char_indices() {
        if (c == '#' || c == ';') && (previous_whitespace || index == 0) {
            return &line[..index];
        }
        previous_whitespace = !after_whitespace || c.is_whitespace();
    }
    line
}

/// Parses a file's text into sections. Errors name the line.
fn parse(text: &str, kind: Kind) -> Result<Vec<Section>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<Section> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if trimmed.starts_with('[') && !indented {
            sections
                .push(parse_header(trimmed, kind).map_err(|err| format!("line {number}: {err}"))?);
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(format!(
                "line {number}: a setting before any `[section]` line"
            ));
        };
        if indented {
            if let Some((_, value)) = section.properties.last_mut() {
                // A continuation of the value above.
                let more = strip_comment(trimmed, true).trim_end();
                if !more.is_empty() {
                    value.push('\n');
                    value.push_str(more);
                }
                continue;
            }
        }
        let Some((name, value)) = trimmed.split_once('=') else {
            return Err(format!("line {number}: expected `name = value`"));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("line {number}: a setting without a name"));
        }
        let value = strip_comment(value, true).trim();
        section
            .properties
            .push((name.to_ascii_lowercase(), value.to_owned()));
    }
    Ok(sections)
}

/// Parses a `[section]` line (already trimmed).
fn parse_header(line: &str, kind: Kind) -> Result<Section, String> {
    let Some(end) = line.find(']') else {
        return Err("a section header without `]`".to_owned());
    };
    let after = line[end + 1..].trim();
    if !after.is_empty() && !after.starts_with('#') && !after.starts_with(';') {
        return Err(format!("unexpected text after `]`: {after:?}"));
    }
    let name = line[1..end].trim();
    let (profile, prefixed) = match kind {
        Kind::Credentials => (Some(name), false),
        Kind::Config if name == DEFAULT_PROFILE => (Some(name), false),
        Kind::Config => match name.strip_prefix("profile") {
            Some(rest) if rest.starts_with([' ', '\t']) => (Some(rest.trim()), true),
            _ => (None, false),
        },
    };
    Ok(Section {
        profile: profile.filter(|name| !name.is_empty()).map(str::to_owned),
        prefixed,
        properties: Vec::new(),
    })
}

/// The settings of profile `name`: the config file's, then the credentials
/// file's over them. `None` when neither file has the profile.
fn merge(
    name: &str,
    config: &[Section],
    credentials: &[Section],
) -> Option<BTreeMap<String, String>> {
    let of_profile = |section: &&Section| section.profile.as_deref() == Some(name);
    // `[profile default]` wins over `[default]` when the config file has both.
    let prefixed_only = config
        .iter()
        .filter(of_profile)
        .any(|section| section.prefixed);
    let mut found = false;
    let mut settings = BTreeMap::new();
    let config_sections = config
        .iter()
        .filter(of_profile)
        .filter(|section| section.prefixed || !prefixed_only);
    for section in config_sections.chain(credentials.iter().filter(of_profile)) {
        found = true;
        for (key, value) in &section.properties {
            settings.insert(key.clone(), value.clone());
        }
    }
    found.then_some(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::env;

    /// A section as (profile, prefixed, settings).
    type Parsed = (Option<String>, bool, Vec<(String, String)>);

    fn sections(text: &str, kind: Kind) -> Vec<Parsed> {
        parse(text, kind)
            .expect("parses")
            .into_iter()
            .map(|section| (section.profile, section.prefixed, section.properties))
            .collect()
    }

    fn props(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn parses_sections_settings_and_comments() {
        let text = "\u{feff}# a comment\n\
                    ; another\n\
                    [default] ; trailing comment\n\
                    region = us-east-1 # inline comment\n\
                    Aws_Access_Key_Id=AKID\n\
                    url = http://x/#fragment;kept\n\
                    \n\
                    [profile  dev]\n\
                    s3 =\n  max_concurrent_requests = 10 ; note\n\tsignature_version = s3v4\n\
                    [sso-session corp]\n\
                    sso_region = eu-west-1\n\
                    [dev]\n\
                    [profile]\n";
        assert_eq!(
            sections(text, Kind::Config),
            vec![
                (
                    Some("default".to_owned()),
                    false,
                    props(&[
                        ("region", "us-east-1"),
                        ("aws_access_key_id", "AKID"),
                        ("url", "http://x/#fragment;kept"),
                    ])
                ),
                (
                    Some("dev".to_owned()),
                    true,
                    props(&[(
                        "s3",
                        "\nmax_concurrent_requests = 10\nsignature_version = s3v4"
                    )])
                ),
                (None, false, props(&[("sso_region", "eu-west-1")])),
                (None, false, vec![]),
                (None, false, vec![]),
            ]
        );
        // In the credentials file, section names are profile names as they are.
        assert_eq!(
            sections("[dev]\na=1\n[profile x]\n", Kind::Credentials),
            vec![
                (Some("dev".to_owned()), false, props(&[("a", "1")])),
                (Some("profile x".to_owned()), false, vec![]),
            ]
        );
    }

    #[test]
    fn malformed_lines_are_errors() {
        for (text, expected) in [
            (
                "region = x\n",
                "line 1: a setting before any `[section]` line",
            ),
            ("[default]\njust words\n", "line 2: expected `name = value`"),
            ("[default]\n = value\n", "line 2: a setting without a name"),
            ("[default\n", "line 1: a section header without `]`"),
            ("[default] junk\n", "line 1: unexpected text after `]`"),
        ] {
            let err = parse(text, Kind::Config).unwrap_err();
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn profiles_merge_with_the_credentials_file_winning() {
        let config = parse(
            "[default]\nregion = us-west-1\n\
             [profile default]\nregion = us-east-2\n\
             [profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n\
             [profile dev]\noutput = json\n",
            Kind::Config,
        )
        .unwrap();
        let credentials = parse(
            "[dev]\naws_access_key_id = FROMCREDS\naws_secret_access_key = S\n",
            Kind::Credentials,
        )
        .unwrap();
        let dev = merge("dev", &config, &credentials).expect("dev exists");
        assert_eq!(dev["aws_access_key_id"], "FROMCREDS");
        assert_eq!(dev["region"], "eu-west-1");
        assert_eq!(dev["output"], "json");
        // `[profile default]` wins over `[default]`.
        let default = merge("default", &config, &credentials).expect("default exists");
        assert_eq!(default["region"], "us-east-2");
        let config = parse("[default]\nregion = us-west-1\n", Kind::Config).unwrap();
        assert_eq!(
            merge("default", &config, &[]).unwrap()["region"],
            "us-west-1"
        );
        assert!(merge("other", &config, &credentials).is_none());
    }

    #[test]
    fn paths_come_from_the_environment_or_home() {
        let home = Some(PathBuf::from("/home/u"));
        let vars = env(&[("AWS_CONFIG_FILE", "~/custom/config")]);
        assert_eq!(
            file_path(&vars, ENV_CONFIG_FILE, "config", &home).unwrap(),
            PathBuf::from("/home/u/custom/config")
        );
        assert_eq!(
            file_path(&vars, ENV_SHARED_CREDENTIALS_FILE, "credentials", &home).unwrap(),
            PathBuf::from("/home/u/.aws/credentials")
        );
        let err = file_path(&vars, ENV_SHARED_CREDENTIALS_FILE, "credentials", &None).unwrap_err();
        assert_eq!(
            err,
            "~/.aws/credentials (no home directory: HOME is not set)"
        );
        assert_eq!(
            expand_home("/abs/path", &None),
            Some(PathBuf::from("/abs/path"))
        );
        assert_eq!(expand_home("~", &home), Some(PathBuf::from("/home/u")));
        assert_eq!(
            expand_home("~other/x", &home),
            Some(PathBuf::from("~other/x"))
        );
        assert_eq!(expand_home("~/x", &None), None);
    }

    #[test]
    fn comments_after_values_need_whitespace() {
        assert_eq!(strip_comment(" a # b", true), " a ");
        assert_eq!(strip_comment(" a#b;c", true), " a#b;c");
        assert_eq!(strip_comment("a\t;b", true), "a\t");
        assert_eq!(strip_comment("#b", true), "");
        assert_eq!(strip_comment("x#b", false), "x");
    }
}
