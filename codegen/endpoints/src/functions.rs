//! The rule language's library functions that work on plain strings.

use std::collections::BTreeMap;

use crate::value::Value;

/// `substring(input, start, stop, reverse)`: the characters `[start, stop)`,
/// counted from the end when `reverse` is set. `None` when the range does not
/// fit the input, is empty or inverted, or the input is not ASCII.
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    let len = input.len();
    if stop > len {
        return None;
    }
    let (from, to) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    input.get(from..to).map(str::to_string)
}

/// `isValidHostLabel(value, allowSubDomains)`: whether `value` is one RFC 1123
/// host label (1 to 63 ASCII letters, digits and hyphens, starting with a
/// letter or digit) or, with `allow_sub_domains`, dot-separated such labels.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(single_host_label)
    } else {
        single_host_label(value)
    }
}

fn single_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `uriEncode(value)`: RFC 3986 percent-encoding of everything but the
/// unreserved characters, with uppercase hex digits.
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// The parts of a URL that `parseURL` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub authority: String,
    pub path: String,
    pub normalized_path: String,
    pub is_ip: bool,
}

impl Url {
    pub(crate) fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("scheme".to_string(), Value::Str(self.scheme.clone()));
        m.insert("authority".to_string(), Value::Str(self.authority.clone()));
        m.insert("path".to_string(), Value::Str(self.path.clone()));
        m.insert(
            "normalizedPath".to_string(),
            Value::Str(self.normalized_path.clone()),
        );
        m.insert("isIp".to_string(), Value::Bool(self.is_ip));
        Value::object(m)
    }
}

/// `parseURL(value)`: splits an `http` or `https` URL into scheme, authority
/// (host and explicit port, without user info) and path. `None` for other
/// schemes, URLs with a query or fragment, and malformed authorities.
pub fn parse_url(input: &str) -> Option<Url> {
    if input
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return None;
    }
    let (scheme, rest) = input.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    // User info is not part of the authority the rules see.
    let authority = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    let is_ip = check_authority(authority)?;
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme: scheme.to_string(),
        authority: authority.to_string(),
        path: path.to_string(),
        normalized_path,
        is_ip,
    })
}

/// Validates `host[:port]`; answers whether the host is an IP address.
fn check_authority(authority: &str) -> Option<bool> {
    let (host, port, bracketed) = if let Some(rest) = authority.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (inner, port, true)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p), false),
            None => (authority, None, false),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if port.parse::<u32>().ok()? > 65535 {
            return None;
        }
    }
    if bracketed {
        return is_ipv6(host).then_some(true);
    }
    if host.is_empty() {
        return None;
    }
    let host_chars_ok = host.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'%'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            )
    });
    if !host_chars_ok {
        return None;
    }
    Some(is_ipv4(host))
}

/// Dotted-quad IPv4 address: four decimal numbers 0..=255.
pub(crate) fn is_ipv4(host: &str) -> bool {
    let mut count = 0;
    for part in host.split('.') {
        count += 1;
        if count > 4
            || part.is_empty()
            || part.len() > 3
            || !part.bytes().all(|b| b.is_ascii_digit())
            || part.parse::<u16>().map_or(true, |n| n > 255)
        {
            return false;
        }
    }
    count == 4
}

/// IPv6 address text (between brackets), optionally with a zone id.
fn is_ipv6(addr: &str) -> bool {
    let addr = match addr.split_once('%') {
        Some((a, zone)) if !zone.is_empty() => a,
        Some(_) => return false,
        None => addr,
    };
    if addr.len() < 2 || !addr.contains(':') {
        return false;
    }
    let (head, tail) = match addr.split_once("::") {
        Some((h, t)) => (h, Some(t)),
        None => (addr, None),
    };
    let groups = |s: &str| -> Option<usize> {
        if s.is_empty() {
            return Some(0);
        }
        let mut n = 0;
        let parts: Vec<&str> = s.split(':').collect();
        for (i, g) in parts.iter().enumerate() {
            if i == parts.len() - 1 && g.contains('.') {
                if !is_ipv4(g) {
                    return None;
                }
                n += 2;
            } else if g.is_empty() || g.len() > 4 || !g.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            } else {
                n += 1;
            }
        }
        Some(n)
    };
    match tail {
        Some(tail) => {
            if tail.contains("::") {
                return false;
            }
            matches!((groups(head), groups(tail)), (Some(a), Some(b)) if a + b <= 7)
        }
        None => groups(head) == Some(8),
    }
}

/// The parts of an ARN that `aws.parseArn` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account_id: String,
    pub resource_id: Vec<String>,
}

impl Arn {
    pub(crate) fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("partition".to_string(), Value::Str(self.partition.clone()));
        m.insert("service".to_string(), Value::Str(self.service.clone()));
        m.insert("region".to_string(), Value::Str(self.region.clone()));
        m.insert("accountId".to_string(), Value::Str(self.account_id.clone()));
        m.insert(
            "resourceId".to_string(),
            Value::array(
                self.resource_id
                    .iter()
                    .map(|s| Value::Str(s.clone()))
                    .collect(),
            ),
        );
        Value::object(m)
    }
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account:resource`,
/// the resource split on `:` and `/`. `None` unless the value starts with
/// `arn:` and has non-empty partition, service and resource.
pub fn parse_arn(input: &str) -> Option<Arn> {
    let mut parts = input.splitn(6, ':');
    let prefix = parts.next()?;
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_string(),
        service: service.to_string(),
        region: region.to_string(),
        account_id: account_id.to_string(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether a bucket
/// name can be used as a host label: 3 to 63 characters of lowercase letters,
/// digits and hyphens (and dots between labels when `allow_sub_domains`),
/// each label starting and ending with a letter or digit, and not an IPv4
/// address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    if value.len() < 3 || value.len() > 63 {
        return false;
    }
    if !allow_sub_domains && value.contains('.') {
        return false;
    }
    if is_ipv4(value) {
        return false;
    }
    value.split('.').all(|label| {
        let bytes = label.as_bytes();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                is_lower_alnum(*first)
                    && is_lower_alnum(*last)
                    && bytes.iter().all(|b| is_lower_alnum(*b) || *b == b'-')
            }
            _ => false,
        }
    })
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `split(value, delimiter, limit)`: `limit` 0 splits everywhere, otherwise
/// into at most `limit` parts (the last part keeps the remaining text). An
/// empty delimiter yields the value itself.
pub fn split(value: &str, delimiter: &str, limit: i64) -> Option<Vec<String>> {
    if limit < 0 {
        return None;
    }
    if delimiter.is_empty() {
        return Some(vec![value.to_string()]);
    }
    let parts = if limit == 0 {
        value.split(delimiter).map(str::to_string).collect()
    } else {
        let limit = usize::try_from(limit).ok()?;
        value.splitn(limit, delimiter).map(str::to_string).collect()
    };
    Some(parts)
}
