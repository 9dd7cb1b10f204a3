//! Helpers for the HTTP binding protocols (`restJson1`, and later
//! `restXml`): the text of members bound to the URI path (`@httpLabel`),
//! the query string (`@httpQuery`, `@httpQueryParams`) and headers
//! (`@httpHeader`, `@httpPrefixHeaders`), as generated serializers write it
//! and generated deserializers read it.
//!
//! Writing a bound member takes two steps: a `fmt_*` function gives the
//! value's text, then, for the path and the query string, an `encode_*`
//! function percent-encodes it ([`RequestWriter`](crate::request::RequestWriter)
//! takes path pieces and query pairs already encoded; header values are
//! written as they are). Which timestamp format a location uses by default
//! (date-time for labels and the query string, http-date for headers) is the
//! generator's to decide; these functions take the format.
//!
//! Reading a header goes the other way: [`joined_header`] or
//! [`prefix_headers`] find the value, `split_*` cut a list into items, and
//! `parse_*` read each. Errors name the header (as the
//! [`DeserializeError`]'s path), never the value, which may be `@sensitive`.

use std::borrow::Cow;

use crate::error::{DeserializeError, SerializeError};
use crate::http::Headers;
use crate::primitives::{DateTime, DateTimeFormat};

// ---------------------------------------------------------------------------
// Percent-encoding
// ---------------------------------------------------------------------------

/// Whether `byte` is an RFC 3986 unreserved character (`A-Z a-z 0-9 - . _ ~`),
/// the only ones written as they are.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// `value` with every byte of its UTF-8 percent-encoded (upper-case hex)
/// but the unreserved ones, and `/` when `keep_slash`.
fn percent_encode(value: &str, keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

/// Percent-encodes the text of an `@httpLabel` for the request path: every
/// byte of its UTF-8 but the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`), so `/` becomes `%2F` and a space `%20`.
pub fn encode_label(value: &str) -> String {
    percent_encode(value, false)
}

/// Percent-encodes the text of a greedy label (`{name+}`) for the request
/// path: as [`encode_label`], but `/` is kept, separating path segments.
pub fn encode_greedy_label(value: &str) -> String {
    percent_encode(value, true)
}

/// Percent-encodes a query parameter's name or value: as [`encode_label`]
/// (a space is `%20`, never `+`; `&`, `=` and `/` are encoded).
pub fn encode_query(value: &str) -> String {
    percent_encode(value, false)
}

// ---------------------------------------------------------------------------
// Formatting simple values
// ---------------------------------------------------------------------------

/// The text of a boolean: `true` or `false`.
pub fn fmt_bool(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// The decimal text of an integer (`byte`, `short`, `integer`, `long`, or an
/// `intEnum`'s value).
pub fn fmt_integer(value: impl Into<i64>) -> String {
    value.into().to_string()
}

/// The text of a float, `wide` being its value as a double, by
/// [`fmt_f64`]'s rules.
fn fmt_float<F: std::fmt::Display + std::fmt::LowerExp>(value: F, wide: f64) -> String {
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if wide == 0.0 || (1e-7..1e21).contains(&wide.abs()) {
        value.to_string()
    } else {
        format!("{value:e}")
    }
}

/// The text of a double: `NaN`, `Infinity` or `-Infinity` for those values,
/// else the shortest decimal that reads back as `value`: plain when
/// `1e-7 <= |value| < 1e21` or `value` is zero (`1.1`, `4`, `-0`,
/// `0.0001`), else with an exponent (`1e300`, `1.5e-8`).
///
/// The text is Rust's `Display` (or `LowerExp`) of the value, so it does
/// not change with the JSON library's version.
pub fn fmt_f64(value: f64) -> String {
    fmt_float(value, value)
}

/// The text of a float: as [`fmt_f64`], with the shortest decimal that reads
/// back as the same `f32` (`1.1f32` is `1.1`, not `1.100000023841858`).
pub fn fmt_f32(value: f32) -> String {
    fmt_float(value, f64::from(value))
}

/// The text of a timestamp in `format`: `DateTime` as RFC 3339 in UTC
/// (`2019-12-16T23:48:18Z`, fractional seconds when there are any),
/// `HttpDate` as IMF-fixdate (`Mon, 16 Dec 2019 23:48:18 GMT`, whole
/// seconds), `EpochSeconds` as seconds since the epoch (`1576540098`, or
/// `1576540098.123` with fractional seconds).
///
/// Fails for dates the format cannot express (years outside 1 to 9999 in
/// `DateTime` and `HttpDate`).
pub fn fmt_timestamp(value: &DateTime, format: DateTimeFormat) -> Result<String, SerializeError> {
    value
        .fmt(format)
        .map_err(|err| SerializeError::new(format!("timestamp {value:?}: {err}")))
}

/// Standard base64 with padding: the text of a blob, or of a string with
/// `@mediaType`, in a header.
pub fn fmt_base64(value: impl AsRef<[u8]>) -> String {
    aws_smithy_types::base64::encode(value.as_ref())
}

// ---------------------------------------------------------------------------
// Header lists
// ---------------------------------------------------------------------------

/// Whether a list item must be quoted to read back as itself: it holds a
/// `,` or a `"`, or starts or ends with white space (which readers trim).
fn needs_quotes(item: &str) -> bool {
    item.contains([',', '"']) || item.starts_with([' ', '\t']) || item.ends_with([' ', '\t'])
}

/// The value of a header bound to a list: the items' text joined with `, `.
/// An item holding `,` or `"` (or starting or ending with white space) is
/// quoted, with `"` and `\` escaped by a `\`: `["b,c", "\"def\"", "a"]` is
/// written `"b,c", "\"def\"", a`. An empty list is the empty string.
///
/// Items are text already (from [`fmt_integer`], [`fmt_bool`], ...). For a
/// list of timestamps use [`fmt_timestamp_list`]: http-dates, which hold a
/// comma, are not quoted.
pub fn fmt_header_list<I>(items: I) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        let item = item.as_ref();
        if index > 0 {
            out.push_str(", ");
        }
        if needs_quotes(item) {
            out.push('"');
            for c in item.chars() {
                if matches!(c, '"' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// The value of a header bound to a list of timestamps: each in `format`
/// (see [`fmt_timestamp`]), joined with `, ` and never quoted, so that a
/// list of http-dates reads `Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec
/// 2019 23:48:18 GMT`.
pub fn fmt_timestamp_list<'a, I>(items: I, format: DateTimeFormat) -> Result<String, SerializeError>
where
    I: IntoIterator<Item = &'a DateTime>,
{
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&fmt_timestamp(item, format)?);
    }
    Ok(out)
}

/// Whether `c` is optional white space around header list items.
fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Splits the value of a header bound to a list into its items: at every
/// `,` outside double quotes, each item trimmed of spaces and tabs. A quoted
/// item is unquoted, a `\` taking the next character as it is:
/// `"b,c", "\"def\"", a` is `["b,c", "\"def\"", "a"]`. A value that is empty
/// or white space is the empty list; an empty item between commas is kept
/// as an empty string.
///
/// Fails on an unterminated quoted item or text after one's closing quote;
/// `header` names the header in the error. For http-dates, which hold a
/// comma each, use [`split_http_date_list`].
pub fn split_header_list(value: &str, header: &str) -> Result<Vec<String>, DeserializeError> {
    let mut items = Vec::new();
    if value.trim_matches(is_ows).is_empty() {
        return Ok(items);
    }
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(is_ows);
        let after_item = if let Some(quoted) = rest.strip_prefix('"') {
            let mut item = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                match chars.next() {
                    Some((index, '"')) => break index + 1,
                    Some((_, '\\')) => match chars.next() {
                        Some((_, escaped)) => item.push(escaped),
                        None => return Err(unterminated(header)),
                    },
                    Some((_, c)) => item.push(c),
                    None => return Err(unterminated(header)),
                }
            };
            items.push(item);
            let after = quoted[end..].trim_start_matches(is_ows);
            if !after.is_empty() && !after.starts_with(',') {
                return Err(DeserializeError::new(
                    header,
                    "text after a quoted item of a header list",
                ));
            }
            after
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            items.push(rest[..end].trim_end_matches(is_ows).to_owned());
            &rest[end..]
        };
        match after_item.strip_prefix(',') {
            Some(next) => rest = next,
            None => return Ok(items),
        }
    }
}

fn unterminated(header: &str) -> DeserializeError {
    DeserializeError::new(header, "unterminated quoted item in a header list")
}

/// Splits the value of a header bound to a list of http-dates into its
/// items: each http-date (`Mon, 16 Dec 2019 23:48:18 GMT`) holds one comma,
/// so the value is cut at every second comma. A value that is empty or
/// white space is the empty list; quoted items are read as by
/// [`split_header_list`].
///
/// Fails when the commas do not pair up; `header` names the header in the
/// error. The items are not checked to be dates: [`parse_timestamp`] does.
pub fn split_http_date_list(value: &str, header: &str) -> Result<Vec<String>, DeserializeError> {
    if value.contains('"') {
        return split_header_list(value, header);
    }
    let mut items = Vec::new();
    if value.trim_matches(is_ows).is_empty() {
        return Ok(items);
    }
    let mut parts = value.split(',');
    while let Some(day) = parts.next() {
        let Some(date) = parts.next() else {
            return Err(DeserializeError::new(
                header,
                "an http-date list whose commas do not pair up",
            ));
        };
        let item = format!(
            "{},{}",
            day.trim_start_matches(is_ows),
            date.trim_end_matches(is_ows)
        );
        items.push(item);
    }
    Ok(items)
}

// ---------------------------------------------------------------------------
// Reading headers
// ---------------------------------------------------------------------------

/// The value of header `name` (case-insensitive): when it appears more than
/// once, its values joined with `, `, which is how a list is read whether the
/// service sent it on one line or several. `None` when it is absent.
pub fn joined_header<'a>(headers: &'a Headers, name: &str) -> Option<Cow<'a, str>> {
    let mut values = headers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value);
    let first = values.next()?;
    match values.next() {
        None => Some(Cow::Borrowed(first)),
        Some(second) => {
            let mut joined = format!("{first}, {second}");
            for value in values {
                joined.push_str(", ");
                joined.push_str(value);
            }
            Some(Cow::Owned(joined))
        }
    }
}

/// The headers of an `@httpPrefixHeaders` member: for every header whose name
/// starts with `prefix` (ignoring ASCII case), the rest of its name (as
/// received; the default transport's names are lower case) and its value,
/// in order. A name that appears more than once comes once per value. An
/// empty prefix matches every header.
pub fn prefix_headers<'a>(
    headers: &'a Headers,
    prefix: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    headers.iter().filter_map(move |(name, value)| {
        let head = name.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| (&name[prefix.len()..], value))
    })
}

/// `value` without the spaces and tabs around it.
fn trimmed(value: &str) -> &str {
    value.trim_matches(is_ows)
}

/// Reads a boolean header value: `true` or `false`.
pub fn parse_bool(value: &str, header: &str) -> Result<bool, DeserializeError> {
    match trimmed(value) {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(DeserializeError::new(
            header,
            "expected `true` or `false` in the header",
        )),
    }
}

/// Reads an integer header value as `T` (`i8`, `i16`, `i32` or `i64`),
/// failing when it is not a decimal integer or is out of `T`'s range.
pub fn parse_integer<T: TryFrom<i64>>(value: &str, header: &str) -> Result<T, DeserializeError> {
    let wide: i64 = trimmed(value)
        .parse()
        .map_err(|_| DeserializeError::new(header, "expected an integer in the header"))?;
    T::try_from(wide).map_err(|_| {
        DeserializeError::new(
            header,
            format!(
                "the header's integer is out of range for {}",
                std::any::type_name::<T>()
            ),
        )
    })
}

/// The special float values, or `None` for other text.
fn special_float(value: &str) -> Option<f64> {
    match value {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Whether `value` is a decimal number in Rust's syntax but not one of its
/// names for the special values (`inf`, `nan`, ...), which the protocols
/// spell differently.
fn is_decimal(value: &str) -> bool {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

/// Reads a double header value: a decimal number (exponent allowed), `NaN`,
/// `Infinity` or `-Infinity`.
pub fn parse_f64(value: &str, header: &str) -> Result<f64, DeserializeError> {
    let value = trimmed(value);
    if let Some(special) = special_float(value) {
        return Ok(special);
    }
    is_decimal(value)
        .then(|| value.parse::<f64>().ok())
        .flatten()
        .ok_or_else(|| expected_number(header))
}

/// Reads a float header value as [`parse_f64`] does, rounded to the nearest
/// `f32` (`1.1` is `1.1f32`).
pub fn parse_f32(value: &str, header: &str) -> Result<f32, DeserializeError> {
    let value = trimmed(value);
    if let Some(special) = special_float(value) {
        return Ok(special as f32);
    }
    is_decimal(value)
        .then(|| value.parse::<f32>().ok())
        .flatten()
        .ok_or_else(|| expected_number(header))
}

fn expected_number(header: &str) -> DeserializeError {
    DeserializeError::new(
        header,
        "expected a number, NaN, Infinity or -Infinity in the header",
    )
}

/// Reads a timestamp header value in `format`: `DateTime` is RFC 3339 (UTC
/// offsets other than `Z` accepted), `HttpDate` IMF-fixdate, `EpochSeconds`
/// seconds since the epoch with up to nine fractional digits.
pub fn parse_timestamp(
    value: &str,
    format: DateTimeFormat,
    header: &str,
) -> Result<DateTime, DeserializeError> {
    let (format, name) = match format {
        DateTimeFormat::DateTime | DateTimeFormat::DateTimeWithOffset => {
            (DateTimeFormat::DateTimeWithOffset, "date-time")
        }
        DateTimeFormat::HttpDate => (DateTimeFormat::HttpDate, "http-date"),
        DateTimeFormat::EpochSeconds => (DateTimeFormat::EpochSeconds, "epoch-seconds"),
    };
    DateTime::from_str(trimmed(value), format).map_err(|err| {
        DeserializeError::new(
            header,
            format!("invalid {name} timestamp in the header: {err}"),
        )
    })
}

/// Reads a header bound to a list of timestamps in `format`: split with
/// [`split_http_date_list`] for http-dates, else [`split_header_list`], and
/// each item read with [`parse_timestamp`].
pub fn parse_timestamp_list(
    value: &str,
    format: DateTimeFormat,
    header: &str,
) -> Result<Vec<DateTime>, DeserializeError> {
    let items = match format {
        DateTimeFormat::HttpDate => split_http_date_list(value, header)?,
        _ => split_header_list(value, header)?,
    };
    items
        .iter()
        .map(|item| parse_timestamp(item, format, header))
        .collect()
}

/// Reads a base64 header value (a blob): standard alphabet, with padding.
pub fn parse_base64(value: &str, header: &str) -> Result<Vec<u8>, DeserializeError> {
    aws_smithy_types::base64::decode(trimmed(value)).map_err(|err| {
        DeserializeError::new(header, format!("invalid base64 in the header: {err}"))
    })
}

/// Reads a base64 header value holding UTF-8 text (a string with
/// `@mediaType`): `dHJ1ZQ==` is `true`.
pub fn parse_base64_string(value: &str, header: &str) -> Result<String, DeserializeError> {
    String::from_utf8(parse_base64(value, header)?).map_err(|_| {
        DeserializeError::new(header, "the header's base64 does not decode to UTF-8 text")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `RestJsonHttpRequestLabelEscaping` and `RestJsonQueryStringEscaping`.
    const RESERVED: &str = " %:/?#[]@!$&'()*+,;=\u{1F639}";
    const RESERVED_ENCODED: &str =
        "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9";

    /// 2019-12-16T23:48:18Z, the protocol tests' favourite instant.
    fn instant() -> DateTime {
        DateTime::from_secs(1576540098)
    }

    #[test]
    fn labels_encode_every_byte_but_unreserved() {
        assert_eq!(encode_label(RESERVED), RESERVED_ENCODED);
        assert_eq!(encode_label("string"), "string");
        assert_eq!(encode_label("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_label(""), "");
        // `RestJsonHttpRequestWithGreedyLabelInPath`: `hello/escape` in a
        // plain label, `there/guy` in a greedy one.
        assert_eq!(encode_label("hello/escape"), "hello%2Fescape");
        assert_eq!(encode_greedy_label("there/guy"), "there/guy");
        assert_eq!(encode_greedy_label("a b/c%d/\u{e9}"), "a%20b/c%25d/%C3%A9");
    }

    #[test]
    fn query_names_and_values_encode_like_labels() {
        assert_eq!(encode_query(RESERVED), RESERVED_ENCODED);
        // `RestJsonAllQueryStringTypes`.
        assert_eq!(encode_query("Hello there"), "Hello%20there");
        assert_eq!(
            encode_query("1970-01-01T00:00:01Z"),
            "1970-01-01T00%3A00%3A01Z"
        );
        assert_eq!(encode_query("a/b"), "a%2Fb");
    }

    #[test]
    fn simple_values_as_text() {
        assert_eq!(fmt_bool(true), "true");
        assert_eq!(fmt_bool(false), "false");
        assert_eq!(fmt_integer(1i8), "1");
        assert_eq!(fmt_integer(123i16), "123");
        assert_eq!(fmt_integer(0), "0");
        assert_eq!(fmt_integer(i64::MIN), "-9223372036854775808");
    }

    #[test]
    fn floats_as_shortest_round_tripping_text() {
        // `RestJsonAllQueryStringTypes`, `RestJsonInputWithHeadersAndAllParams`,
        // `RestJsonInputAndOutputWithNumericHeaders`.
        assert_eq!(fmt_f32(1.1), "1.1");
        assert_eq!(fmt_f64(1.1), "1.1");
        assert_eq!(fmt_f32(4.1), "4.1");
        assert_eq!(fmt_f64(5.1), "5.1");
        assert_eq!(fmt_f64(2.1), "2.1");
        assert_eq!(fmt_f32(5.5), "5.5");
        assert_eq!(fmt_f32(0.1), "0.1");
        assert_eq!(fmt_f64(4.0), "4");
        assert_eq!(fmt_f32(10.8), "10.8");
        assert_eq!(fmt_f64(0.0), "0");
        assert_eq!(fmt_f64(-0.0), "-0");
        assert_eq!(fmt_f64(0.0001), "0.0001");
        assert_eq!(fmt_f64(1e-7), "0.0000001");
        assert_eq!(fmt_f64(1.5e-8), "1.5e-8");
        assert_eq!(fmt_f64(123456789012345680000.0), "123456789012345680000");
        assert_eq!(fmt_f64(1e21), "1e21");
        assert_eq!(fmt_f64(1e300), "1e300");
        assert_eq!(fmt_f64(-f64::MAX), "-1.7976931348623157e308");
        assert_eq!(fmt_f32(f32::MAX), "3.4028235e38");
        assert_eq!(fmt_f32(1e-10), "1e-10");
        for value in [
            0.1,
            1.0 / 3.0,
            1e-7,
            123456.789,
            f64::MIN_POSITIVE,
            5e-324,
            1e22,
        ] {
            assert_eq!(fmt_f64(value).parse::<f64>(), Ok(value));
        }
        // `RestJsonSupportsNaNFloatLabels` and the like.
        assert_eq!(fmt_f32(f32::NAN), "NaN");
        assert_eq!(fmt_f64(f64::NAN), "NaN");
        assert_eq!(fmt_f32(f32::INFINITY), "Infinity");
        assert_eq!(fmt_f64(f64::INFINITY), "Infinity");
        assert_eq!(fmt_f32(f32::NEG_INFINITY), "-Infinity");
        assert_eq!(fmt_f64(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn timestamps_in_each_format() {
        let t = instant();
        // `RestJsonHttpRequestWithLabelsAndTimestampFormat`,
        // `RestJsonTimestampFormatHeaders`.
        assert_eq!(
            fmt_timestamp(&t, DateTimeFormat::DateTime).unwrap(),
            "2019-12-16T23:48:18Z"
        );
        assert_eq!(
            fmt_timestamp(&t, DateTimeFormat::HttpDate).unwrap(),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        assert_eq!(
            fmt_timestamp(&t, DateTimeFormat::EpochSeconds).unwrap(),
            "1576540098"
        );
        assert_eq!(
            encode_label(&fmt_timestamp(&t, DateTimeFormat::HttpDate).unwrap()),
            "Mon%2C%2016%20Dec%202019%2023%3A48%3A18%20GMT"
        );
        assert_eq!(
            encode_label(&fmt_timestamp(&t, DateTimeFormat::DateTime).unwrap()),
            "2019-12-16T23%3A48%3A18Z"
        );

        // `RestJsonDateTimeWithFractionalSeconds`' instant.
        let fractional = DateTime::from_secs_and_nanos(946845296, 123_000_000);
        assert_eq!(
            fmt_timestamp(&fractional, DateTimeFormat::EpochSeconds).unwrap(),
            "946845296.123"
        );
        assert_eq!(
            fmt_timestamp(&fractional, DateTimeFormat::DateTime).unwrap(),
            "2000-01-02T20:34:56.123Z"
        );
        assert_eq!(
            fmt_timestamp(&fractional, DateTimeFormat::HttpDate).unwrap(),
            "Sun, 02 Jan 2000 20:34:56 GMT"
        );

        let err = fmt_timestamp(&DateTime::from_secs(i64::MAX / 2), DateTimeFormat::DateTime);
        assert!(err.is_err());
    }

    #[test]
    fn base64_for_blobs_and_media_type_strings() {
        // `MediaTypeHeaderInputBase64` and `MediaTypeHeaderOutputBase64`.
        assert_eq!(fmt_base64("true"), "dHJ1ZQ==");
        assert_eq!(
            fmt_base64(crate::primitives::Blob::new(b"true".to_vec())),
            "dHJ1ZQ=="
        );
        assert_eq!(fmt_base64(b""), "");
        assert_eq!(parse_base64_string("dHJ1ZQ==", "X-Json").unwrap(), "true");
        assert_eq!(parse_base64("dHJ1ZQ==", "X-Json").unwrap(), b"true");
        let err = parse_base64("not base64!", "X-Json").unwrap_err();
        assert_eq!(err.path(), "X-Json");
        let err = parse_base64_string("/w==", "X-Json").unwrap_err();
        assert_eq!(err.path(), "X-Json");
    }

    #[test]
    fn header_lists_quote_items_with_commas_and_quotes() {
        // `RestJsonInputAndOutputWithStringHeaders`.
        assert_eq!(fmt_header_list(["a", "b", "c"]), "a, b, c");
        // `RestJsonInputAndOutputWithQuotedStringHeaders`.
        assert_eq!(
            fmt_header_list(["b,c", "\"def\"", "a"]),
            r#""b,c", "\"def\"", a"#
        );
        // `RestJsonInputAndOutputWithNumericHeaders` and `...BooleanHeaders`.
        assert_eq!(fmt_header_list([1, 2, 3].map(fmt_integer)), "1, 2, 3");
        assert_eq!(
            fmt_header_list([true, false, true].map(fmt_bool)),
            "true, false, true"
        );
        // `RestJsonNullAndEmptyHeaders`: an empty list is an empty value.
        assert_eq!(fmt_header_list(Vec::<String>::new()), "");
        assert_eq!(fmt_header_list([r"a\b"]), r"a\b");
        assert_eq!(fmt_header_list([r#"a\"b"#]), r#""a\\\"b""#);
        assert_eq!(
            fmt_header_list([" lead", "trail\t", "in side"]),
            "\" lead\", \"trail\t\", in side"
        );
    }

    #[test]
    fn timestamp_lists_are_not_quoted() {
        // `RestJsonInputAndOutputWithTimestampHeaders`.
        let t = instant();
        assert_eq!(
            fmt_timestamp_list([&t, &t], DateTimeFormat::HttpDate).unwrap(),
            "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
        );
        assert_eq!(
            fmt_timestamp_list(&[t, DateTime::from_secs(0)], DateTimeFormat::EpochSeconds).unwrap(),
            "1576540098, 0"
        );
        assert_eq!(
            fmt_timestamp_list(std::iter::empty(), DateTimeFormat::DateTime).unwrap(),
            ""
        );
        assert_eq!(
            parse_timestamp_list(
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
                DateTimeFormat::HttpDate,
                "X-TimestampList"
            )
            .unwrap(),
            [t, t]
        );
        assert_eq!(
            parse_timestamp_list(
                "2019-12-16T23:48:18Z,1970-01-01T00:00:00Z",
                DateTimeFormat::DateTime,
                "X-TimestampList"
            )
            .unwrap(),
            [t, DateTime::from_secs(0)]
        );
        assert_eq!(
            parse_timestamp_list("", DateTimeFormat::EpochSeconds, "X").unwrap(),
            Vec::<DateTime>::new()
        );
        let err = parse_timestamp_list("1, x", DateTimeFormat::EpochSeconds, "X-T").unwrap_err();
        assert_eq!(err.path(), "X-T");
    }

    #[test]
    fn header_lists_split_honouring_quotes() {
        let split = |value: &str| split_header_list(value, "X-StringList").unwrap();
        assert_eq!(split("a, b, c"), ["a", "b", "c"]);
        assert_eq!(split("a,b,c"), ["a", "b", "c"]);
        assert_eq!(split(r#""b,c", "\"def\"", a"#), ["b,c", "\"def\"", "a"]);
        assert_eq!(split("1, 2, 3"), ["1", "2", "3"]);
        assert_eq!(split("Foo, Bar, Baz"), ["Foo", "Bar", "Baz"]);
        assert_eq!(split("Hello"), ["Hello"]);
        assert_eq!(split("in side ,\tx\t"), ["in side", "x"]);
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(split("  "), Vec::<String>::new());
        assert_eq!(split("a,,b"), ["a", "", "b"]);
        assert_eq!(split("a,"), ["a", ""]);
        assert_eq!(split(r#""""#), [""]);
        assert_eq!(split(r#""a\\b", "c""#), [r"a\b", "c"]);
        assert_eq!(split("\"\u{1F639},\""), ["\u{1F639},"]);

        for bad in [r#""abc"#, r#""abc\"#, r#""a" b, c"#] {
            let err = split_header_list(bad, "X-StringList").unwrap_err();
            assert_eq!(err.path(), "X-StringList", "{bad}");
        }

        // Whatever is written reads back the same.
        let items = ["b,c", "\"def\"", "a", r"\", " x ", "", "q\"", "é, ü"];
        assert_eq!(split(&fmt_header_list(items)), items);
    }

    #[test]
    fn http_date_lists_split_at_every_second_comma() {
        let split = |value: &str| split_http_date_list(value, "X-TimestampList");
        assert_eq!(
            split("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT").unwrap(),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
        assert_eq!(
            split("Mon, 16 Dec 2019 23:48:18 GMT").unwrap(),
            ["Mon, 16 Dec 2019 23:48:18 GMT"]
        );
        assert_eq!(
            split("Mon, 16 Dec 2019 23:48:18 GMT,Tue, 17 Dec 2019 23:48:18 GMT").unwrap(),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
        assert_eq!(
            split(r#""Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT""#).unwrap(),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
        assert_eq!(split("").unwrap(), Vec::<String>::new());
        let err = split("Mon, 16 Dec 2019 23:48:18 GMT, Tue").unwrap_err();
        assert_eq!(err.path(), "X-TimestampList");
    }

    #[test]
    fn booleans_and_integers_from_headers() {
        // `RestJsonInputAndOutputWithBooleanHeaders`.
        assert_eq!(parse_bool("true", "X-Boolean1"), Ok(true));
        assert_eq!(parse_bool("false", "X-Boolean2"), Ok(false));
        assert_eq!(parse_bool(" true ", "X-Boolean1"), Ok(true));
        for bad in ["TRUE", "1", "", "yes"] {
            let err = parse_bool(bad, "X-Boolean1").unwrap_err();
            assert_eq!(
                err.to_string(),
                "X-Boolean1: expected `true` or `false` in the header"
            );
        }

        // `RestJsonInputAndOutputWithNumericHeaders`.
        assert_eq!(parse_integer::<i8>("1", "X-Byte"), Ok(1));
        assert_eq!(parse_integer::<i16>("123", "X-Short"), Ok(123));
        assert_eq!(parse_integer::<i32>("123", "X-Integer"), Ok(123));
        assert_eq!(parse_integer::<i64>("123", "X-Long"), Ok(123));
        assert_eq!(parse_integer::<i8>("-128", "X-Byte"), Ok(-128));
        assert_eq!(
            parse_integer::<i64>("-9223372036854775808", "X-Long"),
            Ok(i64::MIN)
        );
        let err = parse_integer::<i8>("128", "X-Byte").unwrap_err();
        assert_eq!(
            err.to_string(),
            "X-Byte: the header's integer is out of range for i8"
        );
        let err = parse_integer::<i32>("2147483648", "X-Integer").unwrap_err();
        assert_eq!(err.path(), "X-Integer");
        for bad in ["1.0", "", "x", "9223372036854775808"] {
            assert!(parse_integer::<i64>(bad, "X-Long").is_err(), "{bad}");
        }
        let ints: Result<Vec<i32>, _> = split_header_list("1, 2, 3", "X-IntegerList")
            .unwrap()
            .iter()
            .map(|item| parse_integer(item, "X-IntegerList"))
            .collect();
        assert_eq!(ints.unwrap(), [1, 2, 3]);
    }

    #[test]
    fn floats_from_headers() {
        assert_eq!(parse_f32("1.1", "X-Float"), Ok(1.1f32));
        assert_eq!(parse_f64("1.1", "X-Double"), Ok(1.1f64));
        assert_eq!(parse_f64("4", "X-Double"), Ok(4.0));
        assert_eq!(parse_f64("-1.5e3", "X-Double"), Ok(-1500.0));
        assert_eq!(parse_f64(".5", "X-Double"), Ok(0.5));
        // `RestJsonSupportsNaNFloatHeaderOutputs` and the like.
        assert!(parse_f32("NaN", "X-Float").unwrap().is_nan());
        assert!(parse_f64("NaN", "X-Double").unwrap().is_nan());
        assert_eq!(parse_f32("Infinity", "X-Float"), Ok(f32::INFINITY));
        assert_eq!(parse_f64("Infinity", "X-Double"), Ok(f64::INFINITY));
        assert_eq!(parse_f32("-Infinity", "X-Float"), Ok(f32::NEG_INFINITY));
        assert_eq!(parse_f64("-Infinity", "X-Double"), Ok(f64::NEG_INFINITY));
        // Rust's own spellings of the special values are not the protocol's.
        for bad in ["inf", "-inf", "nan", "infinity", "", "1.1.1", "x"] {
            let err = parse_f64(bad, "X-Double").unwrap_err();
            assert_eq!(err.path(), "X-Double", "{bad}");
            assert!(parse_f32(bad, "X-Float").is_err(), "{bad}");
        }
        // Every float written reads back as itself.
        for value in [1.1f32, 0.1, f32::MAX, f32::MIN_POSITIVE, -0.0, 1e-45, 3e38] {
            assert_eq!(
                parse_f32(&fmt_f32(value), "X").unwrap().to_bits(),
                value.to_bits()
            );
        }
    }

    #[test]
    fn timestamps_from_headers() {
        let t = instant();
        // `RestJsonTimestampFormatHeaders`.
        assert_eq!(
            parse_timestamp(
                "1576540098",
                DateTimeFormat::EpochSeconds,
                "X-memberEpochSeconds"
            ),
            Ok(t)
        );
        assert_eq!(
            parse_timestamp(
                "Mon, 16 Dec 2019 23:48:18 GMT",
                DateTimeFormat::HttpDate,
                "X-memberHttpDate"
            ),
            Ok(t)
        );
        assert_eq!(
            parse_timestamp(
                "2019-12-16T23:48:18Z",
                DateTimeFormat::DateTime,
                "X-memberDateTime"
            ),
            Ok(t)
        );
        assert_eq!(
            parse_timestamp("2019-12-17T00:48:18+01:00", DateTimeFormat::DateTime, "X"),
            Ok(t)
        );
        assert_eq!(
            parse_timestamp("946845296.123", DateTimeFormat::EpochSeconds, "X"),
            Ok(DateTime::from_secs_and_nanos(946845296, 123_000_000))
        );
        let err = parse_timestamp(
            "2019-12-16T23:48:18Z",
            DateTimeFormat::HttpDate,
            "X-memberHttpDate",
        )
        .unwrap_err();
        assert_eq!(err.path(), "X-memberHttpDate");
        assert!(err.message().starts_with("invalid http-date timestamp"));
        assert!(parse_timestamp("soon", DateTimeFormat::EpochSeconds, "X").is_err());
        assert!(parse_timestamp("", DateTimeFormat::DateTime, "X").is_err());
    }

    #[test]
    fn repeated_headers_join_into_one_list() {
        let headers: Headers = [
            ("X-StringList", "a, b"),
            ("x-other", "z"),
            ("x-stringlist", "\"c,d\""),
        ]
        .into_iter()
        .collect();
        let joined = joined_header(&headers, "x-StringList").unwrap();
        assert_eq!(joined, "a, b, \"c,d\"");
        assert_eq!(
            split_header_list(&joined, "X-StringList").unwrap(),
            ["a", "b", "c,d"]
        );
        assert!(matches!(
            joined_header(&headers, "X-Other"),
            Some(Cow::Borrowed("z"))
        ));
        assert_eq!(joined_header(&headers, "X-Missing"), None);
    }

    #[test]
    fn prefix_headers_strip_the_prefix() {
        // `RestJsonHttpPrefixHeadersArePresent` and `HttpEmptyPrefixHeaders`.
        let headers: Headers = [
            ("x-foo", "Foo"),
            ("X-Foo-Abc", "Abc value"),
            ("x-foo-def", "Def value"),
            ("x-fo", "short"),
        ]
        .into_iter()
        .collect();
        let found: Vec<_> = prefix_headers(&headers, "x-foo-").collect();
        assert_eq!(found, [("Abc", "Abc value"), ("def", "Def value")]);
        assert_eq!(prefix_headers(&headers, "").count(), 4);
        assert_eq!(
            prefix_headers(&headers, "")
                .map(|(name, _)| name)
                .collect::<Vec<_>>(),
            ["x-foo", "X-Foo-Abc", "x-foo-def", "x-fo"]
        );
        assert_eq!(prefix_headers(&headers, "x-bar-").count(), 0);
        // A prefix that would cut a character in two matches nothing.
        let headers: Headers = [("\u{e9}t\u{e9}", "v")].into_iter().collect();
        assert_eq!(prefix_headers(&headers, "x").count(), 0);
    }
}
