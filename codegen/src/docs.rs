//! Model documentation (HTML, as AWS models carry it) turned into rustdoc Markdown.
//!
//! The result is a list of lines; renderers emit one `#[doc]` attribute per line,
//! so no model text can end a doc comment or start an item.

/// Documentation longer than this many bytes is cut (at a character
/// boundary) and marked as cut, so no model can make the output unbounded.
/// The longest documentation string of the AWS models is about 15 KB.
pub const MAX_DOC_BYTES: usize = 64 * 1024;

/// Converts a documentation string from the model into Markdown lines.
/// Plain text passes through with its paragraphs kept. Every line is free of
/// line breaks, control characters and bidirectional-text controls, so no
/// model text can end a doc comment or hide what it says.
pub fn to_markdown(html: &str) -> Vec<String> {
    let mut out = Writer::default();
    let (html, cut) = truncate(html, MAX_DOC_BYTES);
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            match parse_tag(after) {
                Some((tag, consumed)) if is_markup(&tag.name) => {
                    out.tag(&tag);
                    rest = &after[consumed..];
                }
                // Not a tag, or a placeholder or XML element written in the
                // text (`<region>`, `<Code>`): it is text.
                _ => {
                    out.text("<");
                    rest = after;
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if text.contains('&') {
                out.text(&decode_entities(text));
            } else {
                out.text(text);
            }
            rest = &rest[end..];
        }
    }
    let mut lines = out.finish();
    if cut {
        lines.push(String::new());
        lines.push("(The model's documentation is longer; it was cut here.)".to_owned());
    }
    lines
}

/// `text` cut to at most `max` bytes at a character boundary, and whether it was cut.
fn truncate(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// Model text (a title, an enum value) as one line of plain Markdown text:
/// whitespace runs become one space, control and bidirectional-text
/// characters are dropped, and markup is escaped.
pub fn plain_text(text: &str) -> String {
    let (text, cut) = truncate(text, MAX_DOC_BYTES);
    let mut out: Vec<String> = text
        .split_whitespace()
        .map(|word| escape_markdown(&clean(word)))
        .filter(|word| !word.is_empty())
        .collect();
    if cut {
        out.push("...".to_owned());
    }
    out.join(" ")
}

/// A documentation line made safe to emit as it is: line breaks and other
/// whitespace controls become spaces, and control and bidirectional-text
/// characters are dropped. Lines from [`to_markdown`] pass unchanged.
pub fn one_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains(is_hidden) {
        return std::borrow::Cow::Borrowed(line);
    }
    std::borrow::Cow::Owned(
        line.chars()
            .filter_map(|c| match c {
                c if c.is_whitespace() && is_hidden(c) => Some(' '),
                c if is_hidden(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Model text as a Markdown code span on one line (`` `a-b` ``), whatever
/// backticks it holds; line breaks become spaces and control and
/// bidirectional-text characters are dropped.
pub fn code_span(text: &str) -> String {
    let (text, cut) = truncate(text, 1024);
    let mut body: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !is_hidden(*c))
        .collect();
    if cut {
        body.push_str("...");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || body.starts_with(' ') || body.ends_with(' ') || body.is_empty() {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

/// Documentation lines for an item: the model's text, or nothing.
pub fn lines(doc: Option<&str>) -> Vec<String> {
    doc.map(to_markdown).unwrap_or_default()
}

/// The HTML elements documentation is written in (all lowercase, as model
/// documentation writes them), including AWS's own `fullname`, `note` and
/// `important`: the ones converted, and the ones dropped with their text
/// kept. Anything else that looks like a tag is a placeholder or an XML
/// element the text names (`arn:aws:kms:<region>:<account-id>`, "the
/// `<Code>` tag of the error response") and is kept as text.
fn is_markup(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "br"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "fullname"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "i"
            | "iframe"
            | "img"
            | "important"
            | "li"
            | "note"
            | "ol"
            | "p"
            | "pre"
            | "script"
            | "span"
            | "strong"
            | "style"
            | "sub"
            | "sup"
            | "u"
            | "ul"
    )
}

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

/// Parses the inside of a tag after `<`; returns the tag and the bytes consumed
/// including the closing `>`. A `<` before the closing `>` means this is not a
/// tag, which also keeps a text of many `<` from being scanned again and again.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let end = s.find(['<', '>'])?;
    if s.as_bytes()[end] == b'<' {
        return None;
    }
    let inner = &s[..end];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let inner = inner.trim_end_matches('/').trim();
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
    {
        return None;
    }
    let href = attribute(&inner[name_end..], "href");
    Some((
        Tag {
            name: name.to_owned(),
            closing,
            href,
        },
        end + 1,
    ))
}

fn attribute(attrs: &str, name: &str) -> Option<String> {
    let pos = attrs.find(&format!("{name}="))?;
    let value = &attrs[pos + name.len() + 1..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = &value[1..];
        let end = body.find(quote)?;
        Some(decode_entities(&body[..end]))
    } else {
        let end = value
            .find(|c: char| c.is_whitespace())
            .unwrap_or(value.len());
        Some(decode_entities(&value[..end]))
    }
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        // Entities are short: only the next few bytes are searched for `;`.
        let decoded = rest
            .bytes()
            .take(11)
            .position(|b| b == b';')
            .and_then(|end| {
                let entity = &rest[1..end];
                let ch = match entity {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => entity
                        .strip_prefix("#x")
                        .or_else(|| entity.strip_prefix("#X"))
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                }?;
                Some((ch, end + 1))
            });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    current: String,
    /// Nesting of `<code>`: text inside is kept literally.
    code: usize,
    /// Where the text of the open code span starts in `current`, while it
    /// is on the current line.
    code_start: Option<usize>,
    pre: usize,
    lists: Vec<ListKind>,
    /// Pending link targets, innermost last.
    links: Vec<Option<String>>,
}

/// An open list and how many items it has had.
#[derive(Clone, Copy)]
enum ListKind {
    Bullet(usize),
    Numbered(usize),
}

impl ListKind {
    fn items(self) -> usize {
        match self {
            ListKind::Bullet(n) | ListKind::Numbered(n) => n,
        }
    }
}

impl Writer {
    fn tag(&mut self, tag: &Tag) {
        match (tag.name.as_str(), tag.closing) {
            ("ul" | "ol", false) => {
                self.paragraph();
                self.lists.push(if tag.name == "ul" {
                    ListKind::Bullet(0)
                } else {
                    ListKind::Numbered(0)
                });
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.paragraph();
            }
            ("li", false) => {
                self.line_break();
                // Indented once per enclosing list that has an item to nest
                // under: a list opened inside nothing stays at the margin, as
                // four spaces after a blank line would start a code block
                // (which rustdoc would compile as a doctest).
                let open = self.lists.len().saturating_sub(1);
                let depth = self.lists[..open].iter().filter(|l| l.items() > 0).count();
                let marker = match self.lists.last_mut() {
                    Some(ListKind::Numbered(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    Some(ListKind::Bullet(n)) => {
                        *n += 1;
                        "- ".to_owned()
                    }
                    None => "- ".to_owned(),
                };
                self.current = format!("{}{marker}", "  ".repeat(depth));
                self.code_start = None;
            }
            ("li", true) => self.line_break(),
            ("note", false) => {
                self.paragraph();
                self.current.push_str("**Note:** ");
            }
            ("important", false) => {
                self.paragraph();
                self.current.push_str("**Important:** ");
            }
            (
                "p" | "div" | "note" | "important" | "dl" | "dd" | "dt" | "h1" | "h2" | "h3" | "h4"
                | "h5" | "h6",
                _,
            ) => self.paragraph(),
            ("br", _) => self.line_break(),
            ("code", false) if self.pre == 0 => {
                if self.code == 0 {
                    self.push_raw("`");
                    self.code_start = Some(self.current.len());
                }
                self.code += 1;
            }
            ("code", true) if self.pre == 0 && self.code > 0 => {
                self.code -= 1;
                if self.code == 0 {
                    self.trim_trailing_space_in_code();
                    if self.code_start.take() == Some(self.current.len()) {
                        // An empty span (`<code></code>`) is nothing: "``"
                        // would open a span that a later "``" closes.
                        self.current.pop();
                    } else {
                        self.push_raw("`");
                    }
                }
            }
            ("pre", false) => {
                self.paragraph();
                self.lines.push("```text".to_owned());
                self.pre += 1;
            }
            ("pre", true) if self.pre > 0 => {
                self.pre -= 1;
                self.flush_line();
                self.lines.push("```".to_owned());
                self.lines.push(String::new());
            }
            ("b" | "strong", _) if self.code == 0 && self.pre == 0 => self.push_raw("**"),
            ("i" | "em", _) if self.code == 0 && self.pre == 0 => self.push_raw("*"),
            ("a", false) if self.code == 0 && self.pre == 0 => {
                let href = tag.href.clone().filter(|h| is_safe_url(h));
                if href.is_some() {
                    self.push_raw("[");
                }
                self.links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = self.links.pop() {
                    self.push_raw(&format!("]({href})"));
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            for (i, part) in text.split('\n').enumerate() {
                if i > 0 {
                    self.flush_line();
                }
                // A fence inside preformatted text would end the block early.
                self.current
                    .push_str(&clean(part).replace("```", "`\u{200b}``"));
            }
            return;
        }
        let mut pending_space = text.starts_with(char::is_whitespace);
        for word in text.split_whitespace() {
            if pending_space && !self.current.is_empty() && !self.current.ends_with([' ', '`'])
                || (pending_space && self.current.ends_with('`') && self.code == 0)
            {
                self.current.push(' ');
            }
            // Most words are plain ASCII with nothing to clean or escape.
            if is_plain(word) {
                self.current.push_str(word);
                pending_space = true;
                continue;
            }
            let word = if word.chars().any(is_hidden) {
                std::borrow::Cow::Owned(clean(word))
            } else {
                std::borrow::Cow::Borrowed(word)
            };
            if self.code > 0 {
                self.current
                    .extend(word.chars().map(|c| if c == '`' { '\'' } else { c }));
            } else {
                push_escaped(&mut self.current, &word);
            }
            pending_space = true;
        }
        if text.ends_with(char::is_whitespace)
            && !self.current.is_empty()
            && !text.trim().is_empty()
        {
            self.current.push(' ');
        }
    }

    fn push_raw(&mut self, s: &str) {
        self.current.push_str(s);
    }

    fn trim_trailing_space_in_code(&mut self) {
        while self.current.ends_with(' ') {
            self.current.pop();
        }
    }

    fn flush_line(&mut self) {
        let line = self.current.trim_end().to_owned();
        self.current.clear();
        self.code_start = None;
        if self.pre > 0 || !line.trim().is_empty() {
            self.lines.push(line);
        }
    }

    fn line_break(&mut self) {
        if is_list_marker(&self.current) {
            // A paragraph opening a list item stays on the item's line.
            return;
        }
        if !self.current.trim().is_empty() {
            self.flush_line();
        } else {
            self.current.clear();
            self.code_start = None;
        }
    }

    fn paragraph(&mut self) {
        self.line_break();
        if self.lists.is_empty() && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.code > 0 {
            self.push_raw("`");
        }
        self.flush_line();
        if self.pre > 0 {
            self.lines.push("```".to_owned());
        }
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        while self.lines.first().is_some_and(|l| l.is_empty()) {
            self.lines.remove(0);
        }
        self.lines
    }
}

/// Whether `word` is written as it is, in code or not: printable ASCII with
/// nothing [`push_escaped`] escapes (or turns into an autolink) and no
/// backtick (which code spans replace).
fn is_plain(word: &str) -> bool {
    !word.starts_with(['#', '_'])
        && !word.starts_with("http")
        && word.bytes().all(|b| {
            matches!(b, b' '..=b'~')
                && !matches!(b, b'[' | b']' | b'*' | b'`' | b'\\' | b'<' | b'>')
        })
}

/// Whether a line holds only a list item's marker (`- ` or `3. `).
fn is_list_marker(line: &str) -> bool {
    let t = line.trim_start();
    t == "- "
        || (t.ends_with(". ")
            && t[..t.len() - 2].chars().all(|c| c.is_ascii_digit())
            && t.len() > 2)
}

/// Drops control characters (newlines are handled by the caller) and
/// bidirectional-text controls, which could make a line read differently
/// from what it is.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !is_hidden(*c)).collect()
}

/// Control characters, line and paragraph separators, and the
/// bidirectional-text controls (which rustc rejects in comments, as they can
/// make a line read differently from what it is). Zero-width spaces and
/// joiners stay: text needs them, and the `<pre>` handling inserts one.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

fn is_safe_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| {
            c.is_whitespace() || is_hidden(c) || matches!(c, '(' | ')' | '<' | '>' | '`')
        })
}

/// Escapes what Markdown or rustdoc would read as markup in plain text.
fn escape_markdown(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    push_escaped(&mut out, word);
    out
}

/// Appends `word` to `out` with what Markdown would read as markup escaped;
/// a URL becomes an autolink.
fn push_escaped(out: &mut String, word: &str) {
    let trimmed = word.trim_end_matches(['.', ',', ';']);
    if is_safe_url(trimmed) {
        out.push('<');
        out.push_str(trimmed);
        out.push('>');
        out.push_str(&word[trimmed.len()..]);
        return;
    }
    let mut first = true;
    for c in word.chars() {
        match c {
            '[' | ']' | '*' | '`' | '\\' | '_' if c != '_' || word.starts_with('_') => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '#' if first => out.push_str("\\#"),
            _ => out.push(c),
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn plain_words_are_written_as_they_are() {
        let words = [
            "plain",
            "it's",
            "a.b,c;",
            "x_y",
            "_x",
            "#1",
            "a#1",
            "50%",
            "[x]",
            "a*b",
            "`c`",
            "a\\b",
            "<p>",
            "http://x.y/a_b",
            "https://x.y.",
            "httpd",
            "caf\u{e9}",
            "a\u{202e}b",
            "\u{1}",
            "~!@$%^&()-+={}|:'\"?/",
        ];
        for word in words {
            if super::is_plain(word) {
                let mut escaped = String::new();
                super::push_escaped(&mut escaped, word);
                assert_eq!(escaped, word, "{word:?} is plain but escapes");
                assert!(!word.chars().any(super::is_hidden), "{word:?}");
                assert!(!word.contains('`'), "{word:?}");
            }
        }
        let plain: Vec<&str> = words.into_iter().filter(|w| super::is_plain(w)).collect();
        assert_eq!(
            plain,
            [
                "plain",
                "it's",
                "a.b,c;",
                "x_y",
                "a#1",
                "50%",
                "~!@$%^&()-+={}|:'\"?/"
            ]
        );
    }

    #[test]
    fn paragraphs_and_code() {
        let html = "<p>Set the user's MFA\n   preference.</p>\n <p>It must include <code>aws.cognito.signin.user.admin</code>.</p>";
        assert_eq!(
            to_markdown(html),
            vec![
                "Set the user's MFA preference.",
                "",
                "It must include `aws.cognito.signin.user.admin`."
            ]
        );
    }

    #[test]
    fn links_notes_and_lists() {
        let html = "<note><p>See <a href=\"https://example.com/x\">the guide</a>.</p></note><ul><li><p>One</p></li><li>Two <b>bold</b></li></ul>";
        assert_eq!(
            to_markdown(html),
            vec![
                "**Note:**",
                "",
                "See [the guide](https://example.com/x).",
                "",
                "- One",
                "- Two **bold**"
            ]
        );
    }

    #[test]
    fn entities_and_markup_in_text_are_escaped() {
        assert_eq!(
            to_markdown("a &lt;b&gt; [c] *d* &amp; e"),
            vec!["a &lt;b&gt; \\[c\\] \\*d\\* & e"]
        );
    }

    #[test]
    fn plain_text_and_bare_urls() {
        assert_eq!(
            to_markdown("Plain text, see https://example.com."),
            vec!["Plain text, see <https://example.com>."]
        );
    }

    #[test]
    fn unsafe_links_keep_only_their_text() {
        assert_eq!(
            to_markdown("<a href=\"javascript:alert(1)\">click</a>"),
            vec!["click"]
        );
    }

    #[test]
    fn no_line_ever_breaks_or_hides_text() {
        let html = "a\r\nb\rc\u{0}d \u{202e}e\u{202c} \u{2066}f\u{2069} g\u{2028}h \
                    <code>x\r\ny\u{202e}</code> <pre>p\rq\u{202e}\nr</pre> \
                    <a href=\"https://x.example/&#0;\">t</a> &#x202e;&#13;&#10;i";
        for line in to_markdown(html) {
            assert!(
                !line.contains(|c: char| c.is_control() || super::is_hidden(c)),
                "{line:?}"
            );
        }
    }

    #[test]
    fn lists_opened_inside_nothing_are_not_indented() {
        // Four spaces after a blank line would be a code block, which rustdoc runs as a doctest.
        assert_eq!(
            to_markdown("<p>x</p><ul><ul><ul><li>deep</li></ul></ul></ul>"),
            vec!["x", "", "- deep"]
        );
        assert_eq!(
            to_markdown("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>"),
            vec!["- a", "  - b", "    - c"]
        );
    }

    #[test]
    fn enormous_and_pathological_docs_are_bounded() {
        let huge = "word ".repeat(4_000_000);
        let lines = to_markdown(&huge);
        let total: usize = lines.iter().map(String::len).sum();
        assert!(total < super::MAX_DOC_BYTES + 200, "{total}");
        assert!(lines.last().unwrap().contains("cut here"), "{lines:?}");
        // Each of these took quadratic time before: many `<` with a `>` at the
        // end, and many `&` with a `;` at the end.
        for text in [
            format!("{}>", "<".repeat(60_000)),
            format!("{};", "&".repeat(60_000)),
            "<a href=\"".repeat(20_000),
        ] {
            let start = std::time::Instant::now();
            let _ = to_markdown(&text);
            assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        }
    }

    #[test]
    fn one_line_texts() {
        use super::{code_span, one_line, plain_text};
        let cases = [
            ("a-b", "`a-b`"),
            ("`x`", "`` `x` ``"),
            ("a``b", "``` a``b ```"),
            ("line\nbreak\r", "` line break  `"),
            ("\u{202e}x", "`x`"),
            ("", "`  `"),
        ];
        for (text, span) in cases {
            assert_eq!(code_span(text), span, "code span of {text:?}");
        }
        assert_eq!(
            plain_text("Obstacle \"Course\" */ #[x]\r\n//! y"),
            "Obstacle \"Course\" \\*/ \\#\\[x\\] //! y"
        );
        assert_eq!(one_line("a\r\nb\u{202e}c"), "a  bc");
        assert_eq!(one_line("plain `text`"), "plain `text`");
    }

    #[test]
    fn placeholders_and_xml_elements_are_text() {
        // Only the HTML elements documentation is written in are markup;
        // these were dropped, and with them what the text says.
        let cases = [
            // cognito-identity-provider: outside code, escaped.
            (
                "<p>The unique identifier for the client secret. This identifier follows the format <client-id>--<epoch-create-time>.</p>",
                "The unique identifier for the client secret. This identifier follows the format &lt;client-id&gt;--&lt;epoch-create-time&gt;.",
            ),
            // kms: inside code, as written.
            (
                "the KMS service principal for the Region, <code>cks.kms.<region>.amazonaws.com</code>,  \n\t         such as <code>cks.kms.us-east-1.amazonaws.com</code>.",
                "the KMS service principal for the Region, `cks.kms.<region>.amazonaws.com`, such as `cks.kms.us-east-1.amazonaws.com`.",
            ),
            // s3: placeholders with dashes in an ARN.
            (
                "in the format <code>arn:aws:s3:<Region>:<account-id>:accesspoint/<access-point-name>/object/<key></code>. For example",
                "in the format `arn:aws:s3:<Region>:<account-id>:accesspoint/<access-point-name>/object/<key>`. For example",
            ),
            // s3: an XML element named like an HTML one, but capitalised; taken
            // for `<code>`, it left the next spans unbalanced and `[A-Z]` outside
            // code, a broken intra-doc link.
            (
                "<p>Returned in the <Code> tag of the error\n      XML response for a corresponding <code>GetObject</code> call. The regular expression (regex) value is\n      <code>\"^[A-Z][a-zA-Z]+$\"</code>.</p>",
                "Returned in the &lt;Code&gt; tag of the error XML response for a corresponding `GetObject` call. The regular expression (regex) value is `\"^[A-Z][a-zA-Z]+$\"`.",
            ),
        ];
        for (html, markdown) in cases {
            assert_eq!(to_markdown(html), vec![markdown], "{html:?}");
        }
    }

    #[test]
    fn empty_code_spans_are_dropped() {
        // route-53: "``" would open a code span that a later "``" closes.
        let html = "<p>\n            <code></code> returns the VPCs associated with the specified hosted zone and does not reflect the VPC\n\t\t\tassociations by Route 53 Profiles.</p>";
        assert_eq!(
            to_markdown(html),
            vec!["returns the VPCs associated with the specified hosted zone and does not reflect the VPC associations by Route 53 Profiles."]
        );
        assert_eq!(to_markdown("a <code> </code> b"), vec!["a b"]);
        assert_eq!(to_markdown("a <code>x</code> b"), vec!["a `x` b"]);
    }

    #[test]
    fn control_characters_and_unclosed_tags() {
        assert_eq!(to_markdown("a\u{0}b <code>x"), vec!["ab `x`"]);
        assert_eq!(to_markdown("1 < 2"), vec!["1 &lt; 2"]);
    }
}
