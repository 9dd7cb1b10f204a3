//! A small backtracking regular-expression matcher for partition region
//! patterns.
//!
//! Supported: literals, `.`, escapes (`\d \D \w \W \s \S` and escaped
//! punctuation), bracket classes with ranges and negation, groups `( )` and
//! `(?: )`, alternation `|`, the quantifiers `* + ? {n} {n,} {n,m}`, and the
//! anchors `^` and `$`. A pattern matches when it matches some part of the
//! input (anchors make it whole-input).

#[derive(Clone, Debug, PartialEq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

impl ClassItem {
    fn matches(&self, c: char) -> bool {
        match *self {
            ClassItem::Char(x) => c == x,
            ClassItem::Range(a, b) => a <= c && c <= b,
            ClassItem::Digit(positive) => c.is_ascii_digit() == positive,
            ClassItem::Word(positive) => (c.is_ascii_alphanumeric() || c == '_') == positive,
            ClassItem::Space(positive) => c.is_whitespace() == positive,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Any,
    Class {
        items: Vec<ClassItem>,
        negated: bool,
    },
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: usize,
        max: Option<usize>,
    },
}

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Regex {
    /// The whole pattern as one group, so matching can start anywhere.
    whole: [Node; 1],
}

/// Longest input the matcher looks at; region names are far shorter, and the
/// bound keeps backtracking and recursion small.
const MAX_INPUT: usize = 256;
/// Work budget per match, as a second guard against pathological patterns.
const MAX_STEPS: usize = 200_000;
/// Recursion bound of the matcher (two levels per consumed character).
const MAX_MATCH_DEPTH: usize = 1200;
const MAX_PATTERN: usize = 1024;
const MAX_NESTING: usize = 32;
const MAX_REPEAT: usize = 100;

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    depth: usize,
}

impl Parser<'_> {
    fn alternatives(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alts = vec![self.sequence()?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            alts.push(self.sequence()?);
        }
        Ok(alts)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut seq = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let node = self.quantified(atom)?;
            seq.push(node);
        }
        Ok(seq)
    }

    fn atom(&mut self) -> Result<Node, String> {
        let c = self.chars.next().ok_or("unexpected end of pattern")?;
        Ok(match c {
            '^' => Node::Start,
            '$' => Node::End,
            '.' => Node::Any,
            '(' => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err("groups nested too deeply".to_string());
                }
                if self.chars.peek() == Some(&'?') {
                    self.chars.next();
                    if self.chars.next() != Some(':') {
                        return Err("only `(?:` groups are supported".to_string());
                    }
                }
                let alts = self.alternatives()?;
                if self.chars.next() != Some(')') {
                    return Err("unclosed group".to_string());
                }
                self.depth -= 1;
                Node::Group(alts)
            }
            '[' => self.class()?,
            '\\' => {
                let item = self.escape()?;
                Node::Class {
                    items: vec![item],
                    negated: false,
                }
            }
            '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat before `{c}`")),
            ')' => return Err("unbalanced `)`".to_string()),
            c => Node::Class {
                items: vec![ClassItem::Char(c)],
                negated: false,
            },
        })
    }

    fn escape(&mut self) -> Result<ClassItem, String> {
        let c = self.chars.next().ok_or("pattern ends with `\\`")?;
        Ok(match c {
            'd' => ClassItem::Digit(true),
            'D' => ClassItem::Digit(false),
            'w' => ClassItem::Word(true),
            'W' => ClassItem::Word(false),
            's' => ClassItem::Space(true),
            'S' => ClassItem::Space(false),
            'n' => ClassItem::Char('\n'),
            't' => ClassItem::Char('\t'),
            'r' => ClassItem::Char('\r'),
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("unsupported escape `\\{c}`"));
            }
            c => ClassItem::Char(c),
        })
    }

    fn class(&mut self) -> Result<Node, String> {
        let mut negated = false;
        if self.chars.peek() == Some(&'^') {
            self.chars.next();
            negated = true;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.chars.next().ok_or("unclosed `[`")?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = if c == '\\' {
                self.escape()?
            } else {
                ClassItem::Char(c)
            };
            if let ClassItem::Char(lo) = item {
                if self.chars.peek() == Some(&'-') {
                    self.chars.next();
                    match self.chars.peek() {
                        Some(']') | None => {
                            items.push(ClassItem::Char(lo));
                            items.push(ClassItem::Char('-'));
                            continue;
                        }
                        Some(_) => {
                            let hc = self.chars.next().ok_or("unclosed `[`")?;
                            let hi = if hc == '\\' {
                                match self.escape()? {
                                    ClassItem::Char(h) => h,
                                    _ => return Err("class shorthand in a range".to_string()),
                                }
                            } else {
                                hc
                            };
                            if hi < lo {
                                return Err(format!("range `{lo}-{hi}` out of order"));
                            }
                            items.push(ClassItem::Range(lo, hi));
                            continue;
                        }
                    }
                }
            }
            items.push(item);
        }
        Ok(Node::Class { items, negated })
    }

    fn number(&mut self) -> Option<usize> {
        let mut n: Option<usize> = None;
        while let Some(d) = self.chars.peek().and_then(|c| c.to_digit(10)) {
            self.chars.next();
            n = Some(n.unwrap_or(0).checked_mul(10)?.checked_add(d as usize)?);
        }
        n
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.chars.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.chars.next();
                let min = self.number().ok_or("expected a number after `{`")?;
                let max = match self.chars.next() {
                    Some('}') => Some(min),
                    Some(',') => {
                        let max = self.number();
                        if self.chars.next() != Some('}') {
                            return Err("unclosed `{`".to_string());
                        }
                        max
                    }
                    _ => return Err("malformed `{` quantifier".to_string()),
                };
                if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                    return Err("bad repetition bounds".to_string());
                }
                if matches!(atom, Node::Start | Node::End) {
                    return Err("an anchor cannot be repeated".to_string());
                }
                return Ok(Node::Repeat {
                    node: Box::new(atom),
                    min,
                    max,
                });
            }
            _ => return Ok(atom),
        };
        self.chars.next();
        if matches!(atom, Node::Start | Node::End) {
            return Err("an anchor cannot be repeated".to_string());
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

struct Matcher<'a> {
    input: &'a [char],
    steps: usize,
    depth: usize,
}

impl Matcher<'_> {
    fn tick(&mut self) -> bool {
        self.steps += 1;
        self.steps <= MAX_STEPS
    }

    fn single(&self, node: &Node, pos: usize) -> bool {
        let Some(&c) = self.input.get(pos) else {
            return false;
        };
        match node {
            Node::Any => c != '\n',
            Node::Class { items, negated } => items.iter().any(|i| i.matches(c)) != *negated,
            _ => false,
        }
    }

    /// Matches `seq` at `pos`, then calls `k` with the end position; true as
    /// soon as some way of matching makes `k` true.
    fn seq(
        &mut self,
        seq: &[Node],
        pos: usize,
        k: &mut dyn FnMut(&mut Self, usize) -> bool,
    ) -> bool {
        if !self.tick() || self.depth >= MAX_MATCH_DEPTH {
            return false;
        }
        self.depth += 1;
        let matched = self.seq_inner(seq, pos, k);
        self.depth -= 1;
        matched
    }

    fn seq_inner(
        &mut self,
        seq: &[Node],
        pos: usize,
        k: &mut dyn FnMut(&mut Self, usize) -> bool,
    ) -> bool {
        let Some((node, rest)) = seq.split_first() else {
            return k(self, pos);
        };
        match node {
            Node::Any | Node::Class { .. } => self.single(node, pos) && self.seq(rest, pos + 1, k),
            Node::Start => pos == 0 && self.seq(rest, pos, k),
            Node::End => pos == self.input.len() && self.seq(rest, pos, k),
            Node::Group(alts) => {
                for alt in alts {
                    if self.seq(alt, pos, &mut |m: &mut Self, p| m.seq(rest, p, k)) {
                        return true;
                    }
                }
                false
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max, 0, pos, rest, k),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &mut self,
        node: &Node,
        min: usize,
        max: Option<usize>,
        count: usize,
        pos: usize,
        rest: &[Node],
        k: &mut dyn FnMut(&mut Self, usize) -> bool,
    ) -> bool {
        if !self.tick() {
            return false;
        }
        if max.is_none_or(|m| count < m) {
            let one = std::slice::from_ref(node);
            let more = self.seq(one, pos, &mut |m: &mut Self, p| {
                // An iteration that consumes nothing cannot make progress.
                if p == pos && count >= min {
                    return false;
                }
                m.repeat(node, min, max, count + 1, p, rest, k)
            });
            if more {
                return true;
            }
        }
        count >= min && self.seq(rest, pos, k)
    }
}

impl Regex {
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        if pattern.len() > MAX_PATTERN {
            return Err("pattern is too long".to_string());
        }
        let mut p = Parser {
            chars: pattern.chars().peekable(),
            depth: 0,
        };
        let alternatives = p.alternatives()?;
        if p.chars.next().is_some() {
            return Err("unbalanced `)`".to_string());
        }
        Ok(Regex {
            whole: [Node::Group(alternatives)],
        })
    }

    pub(crate) fn is_match(&self, input: &str) -> bool {
        if input.len() > MAX_INPUT {
            return false;
        }
        let chars: Vec<char> = input.chars().collect();
        let mut m = Matcher {
            input: &chars,
            steps: 0,
            depth: 0,
        };
        (0..=chars.len()).any(|start| m.seq(&self.whole, start, &mut |_, _| true))
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p).expect("pattern compiles").is_match(s)
    }

    #[test]
    fn partition_shaped_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(m(aws, "us-east-1"));
        assert!(m(aws, "eu-central-12"));
        assert!(m(aws, "mx-central-1"));
        assert!(!m(aws, "us-gov-west-1"));
        assert!(!m(aws, "cn-north-1"));
        assert!(!m(aws, "us-east-1x"));
        assert!(!m(aws, "xus-east-1"));
        assert!(!m(aws, "us-east-"));
        let eusc = r"^eusc\-(de)\-\w+\-\d+$";
        assert!(m(eusc, "eusc-de-east-1"));
        assert!(!m(eusc, "eusc-fr-east-1"));
        assert!(m(r"^us\-iso\-\w+\-\d+$", "us-iso-east-1"));
        assert!(!m(r"^us\-iso\-\w+\-\d+$", "us-isob-east-1"));
    }

    #[test]
    fn general_features() {
        assert!(m("a[b-d]+e", "xxabcdbe"));
        assert!(!m("^a[b-d]+e$", "xxabcdbe"));
        assert!(m("^[^0-9]{2,3}$", "abc"));
        assert!(!m("^[^0-9]{2,3}$", "abcd"));
        assert!(!m("^[^0-9]{2,3}$", "a1"));
        assert!(m("^(?:ab|cd)*$", "abcdab"));
        assert!(m("^colou?r$", "color"));
        assert!(m("^a.c$", "abc"));
        assert!(m("^(a*)*b$", "aaab"));
        assert!(!m("^(a*)*b$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(m("^x{2}$", "xx"));
        assert!(m("^[a-]+$", "a-a"));
    }

    #[test]
    fn pathological_patterns_stay_bounded() {
        let nested = Regex::new("^((a?){100}){100}b$").expect("pattern compiles");
        assert!(!nested.is_match(&"a".repeat(200)));
        let long_input = "a".repeat(255);
        assert!(m(r"^\w+$", &long_input));
        assert!(!m(r"^\w+$", &"a".repeat(300)));
        assert!(Regex::new(&"a".repeat(2000)).is_err());
    }

    #[test]
    fn bad_patterns_are_rejected() {
        for p in ["(", "a)", "[a", "*a", "a{2", "\\", "a{3,1}", "\\q", "^*"] {
            assert!(Regex::new(p).is_err(), "{p} should not compile");
        }
    }
}
