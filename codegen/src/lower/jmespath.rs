//! JMESPath expressions, parsed: the paths of waiter acceptors
//! (`smithy.waiters#waitable`).
//!
//! The parser follows the JMESPath specification's grammar and its binding
//! powers (the reference implementation's Pratt parser), so an expression
//! means here what it means everywhere: `A[].B == 'x'` compares the
//! projection, `a || b && c` is `a || (b && c)`, a projection runs on until
//! an operator that binds less tightly than `[]`.
//!
//! It reads field names (bare or quoted), `@`, indexes, the projections
//! `[*]`, `[]`, `*` and `[?filter]`, sub-expressions, pipes, literals
//! (`'raw'` and `` `json` ``), comparisons, `&&`, `||`, `!`, parentheses and
//! function calls. Slices, multi-select lists and hashes and expression
//! references (`&`) are refused with their name, as [`super::waiter_paths`]
//! refuses what it cannot compile. The endpoint rules engine has a JMESPath
//! reader of its own, for the few paths `operationContextParams` use, which
//! it evaluates on JSON at run time; waiters are compiled when the crate is
//! generated, against typed shapes, and need the whole expression grammar.

use serde_json::Value;

use crate::ir::CompareOp;

/// A parsed expression, as the specification's abstract syntax has it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Ast {
    /// `@`, and the implicit current node of a projection's right side.
    Identity,
    /// A field of the current node.
    Field(String),
    /// `left.right`: `right` evaluated on what `left` gives.
    Subexpr(Box<Ast>, Box<Ast>),
    /// `[n]` on the current node (negative counts from the end).
    Index(i64),
    /// `left[*].right`: `right` on each element of the list `left`.
    Projection(Box<Ast>, Box<Ast>),
    /// `left.*.right`: `right` on each value of the object `left`.
    ValueProjection(Box<Ast>, Box<Ast>),
    /// `left[]`: the list `left` with its list elements spliced in.
    Flatten(Box<Ast>),
    /// `left[?condition].right`: `right` on each element of the list `left`
    /// for which `condition` is true.
    Filter {
        left: Box<Ast>,
        condition: Box<Ast>,
        right: Box<Ast>,
    },
    /// `'raw'` or `` `json` ``.
    Literal(Value),
    Compare(CompareOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    /// `left | right`.
    Pipe(Box<Ast>, Box<Ast>),
    /// `name(args)`.
    Function(String, Vec<Ast>),
}

/// Parses `text`; the error says what is wrong and where.
pub(super) fn parse(text: &str) -> Result<Ast, String> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let ast = parser.expression(0)?;
    match parser.peek() {
        Token::Eof => Ok(ast),
        other => Err(format!(
            "unexpected {} at character {}",
            other.describe(),
            parser.offset() + 1
        )),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Identifier(String),
    QuotedIdentifier(String),
    Literal(Value),
    Number(i64),
    Dot,
    Star,
    /// `[]`
    Flatten,
    /// `[?`
    Filter,
    LBracket,
    RBracket,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Colon,
    At,
    Pipe,
    Or,
    And,
    Ampersand,
    Not,
    Compare(CompareOp),
    Eof,
}

impl Token {
    /// How tightly the token binds as an infix operator (the reference
    /// implementation's table); 0 for tokens that are not one.
    fn binding_power(&self) -> u8 {
        match self {
            Token::Pipe => 1,
            Token::Or => 2,
            Token::And => 3,
            Token::Compare(_) => 5,
            Token::Flatten => 9,
            Token::Star => 20,
            Token::Filter => 21,
            Token::Dot => 40,
            Token::Not => 45,
            Token::LBrace => 50,
            Token::LBracket => 55,
            Token::LParen => 60,
            _ => 0,
        }
    }

    fn describe(&self) -> String {
        match self {
            Token::Identifier(name) => format!("`{name}`"),
            Token::QuotedIdentifier(name) => format!("`\"{name}\"`"),
            Token::Literal(value) => format!("literal `{value}`"),
            Token::Number(n) => format!("`{n}`"),
            Token::Dot => "`.`".into(),
            Token::Star => "`*`".into(),
            Token::Flatten => "`[]`".into(),
            Token::Filter => "`[?`".into(),
            Token::LBracket => "`[`".into(),
            Token::RBracket => "`]`".into(),
            Token::LParen => "`(`".into(),
            Token::RParen => "`)`".into(),
            Token::LBrace => "`{`".into(),
            Token::RBrace => "`}`".into(),
            Token::Comma => "`,`".into(),
            Token::Colon => "`:`".into(),
            Token::At => "`@`".into(),
            Token::Pipe => "`|`".into(),
            Token::Or => "`||`".into(),
            Token::And => "`&&`".into(),
            Token::Ampersand => "`&`".into(),
            Token::Not => "`!`".into(),
            Token::Compare(op) => format!("`{}`", op.symbol()),
            Token::Eof => "end of the expression".into(),
        }
    }
}

/// Tokens with the character offset each starts at.
fn lex(text: &str) -> Result<Vec<(Token, usize)>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let token = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    i += 1;
                }
                Token::Identifier(chars[start..i].iter().collect())
            }
            '0'..='9' | '-' => {
                i += 1;
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                Token::Number(digits.parse().map_err(|_| {
                    format!("`{digits}` at character {} is not a number", start + 1)
                })?)
            }
            '"' => {
                let raw = delimited(&chars, &mut i, '"')?;
                let name: String = serde_json::from_str(&format!("\"{raw}\"")).map_err(|e| {
                    format!(
                        "the quoted name at character {} is not valid: {e}",
                        start + 1
                    )
                })?;
                Token::QuotedIdentifier(name)
            }
            '\'' => {
                let raw = delimited(&chars, &mut i, '\'')?;
                Token::Literal(Value::String(unescape_raw(&raw)))
            }
            '`' => {
                let raw = delimited(&chars, &mut i, '`')?;
                let json = raw.replace("\\`", "`");
                Token::Literal(serde_json::from_str(json.trim()).map_err(|e| {
                    format!(
                        "the literal {} at character {} is not JSON: {e}",
                        crate::docs::code_span(json.trim()),
                        start + 1
                    )
                })?)
            }
            '[' => {
                i += 1;
                match next {
                    Some(']') => {
                        i += 1;
                        Token::Flatten
                    }
                    Some('?') => {
                        i += 1;
                        Token::Filter
                    }
                    _ => Token::LBracket,
                }
            }
            '|' if next == Some('|') => {
                i += 2;
                Token::Or
            }
            '&' if next == Some('&') => {
                i += 2;
                Token::And
            }
            '=' if next == Some('=') => {
                i += 2;
                Token::Compare(CompareOp::Eq)
            }
            '!' if next == Some('=') => {
                i += 2;
                Token::Compare(CompareOp::Ne)
            }
            '<' | '>' => {
                let or_equal = next == Some('=');
                i += if or_equal { 2 } else { 1 };
                Token::Compare(match (c, or_equal) {
                    ('<', false) => CompareOp::Lt,
                    ('<', true) => CompareOp::Le,
                    ('>', false) => CompareOp::Gt,
                    _ => CompareOp::Ge,
                })
            }
            _ => {
                i += 1;
                match c {
                    '.' => Token::Dot,
                    '*' => Token::Star,
                    ']' => Token::RBracket,
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    '{' => Token::LBrace,
                    '}' => Token::RBrace,
                    ',' => Token::Comma,
                    ':' => Token::Colon,
                    '@' => Token::At,
                    '|' => Token::Pipe,
                    '&' => Token::Ampersand,
                    '!' => Token::Not,
                    other => {
                        return Err(format!(
                            "unexpected character `{other}` at character {}",
                            start + 1
                        ))
                    }
                }
            }
        };
        tokens.push((token, start));
    }
    tokens.push((Token::Eof, chars.len()));
    Ok(tokens)
}

/// The text between the delimiter at `chars[*i]` and the next one that is
/// not escaped with a backslash, as written; `*i` moves past the closing
/// delimiter.
fn delimited(chars: &[char], i: &mut usize, delimiter: char) -> Result<String, String> {
    let start = *i;
    *i += 1;
    let mut text = String::new();
    while let Some(&c) = chars.get(*i) {
        *i += 1;
        if c == '\\' {
            if let Some(&escaped) = chars.get(*i) {
                text.push(c);
                text.push(escaped);
                *i += 1;
                continue;
            }
        }
        if c == delimiter {
            return Ok(text);
        }
        text.push(c);
    }
    Err(format!(
        "the `{delimiter}` at character {} is never closed",
        start + 1
    ))
}

/// A raw string literal's text: `\'` is a quote and `\\` a backslash;
/// any other backslash stays as it is.
fn unescape_raw(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some(escaped @ ('\'' | '\\')) => text.push(escaped),
            Some(other) => {
                text.push(c);
                text.push(other);
            }
            None => text.push(c),
        }
    }
    text
}

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// Binding powers below this end a projection's right side.
const PROJECTION_STOP: u8 = 10;

struct Parser {
    tokens: Vec<(Token, usize)>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        self.tokens
            .get(self.pos + ahead)
            .or(self.tokens.last())
            .map_or(&Token::Eof, |(token, _)| token)
    }

    /// The character offset of the next token.
    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(0, |(_, at)| *at)
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        token
    }

    fn expect(&mut self, wanted: Token) -> Result<(), String> {
        if *self.peek() == wanted {
            self.advance();
            Ok(())
        } else {
            Err(format!(
                "expected {} at character {}, found {}",
                wanted.describe(),
                self.offset() + 1,
                self.peek().describe()
            ))
        }
    }

    fn unexpected(&self) -> String {
        format!(
            "unexpected {} at character {}",
            self.peek().describe(),
            self.offset() + 1
        )
    }

    fn expression(&mut self, binding_power: u8) -> Result<Ast, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("the expression is nested too deeply".to_owned());
        }
        let mut left = self.prefix()?;
        while binding_power < self.peek().binding_power() {
            left = self.infix(left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    /// What a token means at the start of an expression.
    fn prefix(&mut self) -> Result<Ast, String> {
        let at = self.offset() + 1;
        match self.advance() {
            Token::Identifier(name) | Token::QuotedIdentifier(name) => Ok(Ast::Field(name)),
            Token::Literal(value) => Ok(Ast::Literal(value)),
            Token::At => Ok(Ast::Identity),
            Token::Not => Ok(Ast::Not(Box::new(
                self.expression(Token::Not.binding_power())?,
            ))),
            Token::LParen => {
                let inner = self.expression(0)?;
                self.expect(Token::RParen)?;
                Ok(inner)
            }
            Token::Star => {
                let right = self.projection_right(Token::Star.binding_power())?;
                Ok(Ast::ValueProjection(Box::new(Ast::Identity), Box::new(right)))
            }
            Token::Filter => self.filter(Ast::Identity),
            Token::Flatten => self.flatten(Ast::Identity),
            Token::LBracket => match self.peek() {
                Token::Number(_) | Token::Colon => {
                    let index = self.index()?;
                    Ok(Ast::Subexpr(Box::new(Ast::Identity), Box::new(index)))
                }
                Token::Star if *self.peek_at(1) == Token::RBracket => {
                    self.advance();
                    self.advance();
                    let right = self.projection_right(Token::Star.binding_power())?;
                    Ok(Ast::Projection(Box::new(Ast::Identity), Box::new(right)))
                }
                _ => Err(format!(
                    "multi-select lists (`[a, b]`, at character {at}) are not supported"
                )),
            },
            Token::LBrace => Err(format!(
                "multi-select hashes (`{{a: b}}`, at character {at}) are not supported"
            )),
            Token::Ampersand => Err(format!(
                "expression references (`&`, at character {at}) are not supported"
            )),
            Token::Number(n) => Err(format!(
                "unexpected number `{n}` at character {at} (a number literal is written `` `{n}` ``)"
            )),
            other => Err(format!(
                "unexpected {} at character {at}",
                other.describe()
            )),
        }
    }

    /// What a token means after an expression (`left`).
    fn infix(&mut self, left: Ast) -> Result<Ast, String> {
        let at = self.offset() + 1;
        match self.advance() {
            Token::Dot => {
                if *self.peek() == Token::Star {
                    self.advance();
                    let right = self.projection_right(Token::Star.binding_power())?;
                    return Ok(Ast::ValueProjection(Box::new(left), Box::new(right)));
                }
                let right = self.dot_right(Token::Dot.binding_power())?;
                Ok(Ast::Subexpr(Box::new(left), Box::new(right)))
            }
            Token::Pipe => {
                let right = self.expression(Token::Pipe.binding_power())?;
                Ok(Ast::Pipe(Box::new(left), Box::new(right)))
            }
            Token::Or => {
                let right = self.expression(Token::Or.binding_power())?;
                Ok(Ast::Or(Box::new(left), Box::new(right)))
            }
            Token::And => {
                let right = self.expression(Token::And.binding_power())?;
                Ok(Ast::And(Box::new(left), Box::new(right)))
            }
            Token::Compare(op) => {
                let right = self.expression(Token::Compare(op).binding_power())?;
                Ok(Ast::Compare(op, Box::new(left), Box::new(right)))
            }
            Token::LParen => {
                let Ast::Field(name) = left else {
                    return Err(format!(
                        "`(` at character {at} calls something that is not a function name"
                    ));
                };
                let mut args = Vec::new();
                while *self.peek() != Token::RParen {
                    args.push(self.expression(0)?);
                    if *self.peek() == Token::Comma {
                        self.advance();
                    } else if *self.peek() != Token::RParen {
                        return Err(self.unexpected());
                    }
                }
                self.expect(Token::RParen)?;
                Ok(Ast::Function(name, args))
            }
            Token::Filter => self.filter(left),
            Token::Flatten => self.flatten(left),
            Token::LBracket => match self.peek() {
                Token::Number(_) | Token::Colon => {
                    let index = self.index()?;
                    Ok(Ast::Subexpr(Box::new(left), Box::new(index)))
                }
                Token::Star => {
                    self.advance();
                    self.expect(Token::RBracket)?;
                    let right = self.projection_right(Token::Star.binding_power())?;
                    Ok(Ast::Projection(Box::new(left), Box::new(right)))
                }
                _ => Err(self.unexpected()),
            },
            Token::LBrace => Err(format!(
                "multi-select hashes (`{{a: b}}`, at character {at}) are not supported"
            )),
            other => Err(format!("unexpected {} at character {at}", other.describe())),
        }
    }

    /// `[n]` after its `[`; a slice (`[a:b]`) is refused.
    fn index(&mut self) -> Result<Ast, String> {
        let at = self.offset() + 1;
        let index = match self.advance() {
            Token::Number(n) => n,
            _ => {
                return Err(format!(
                    "slices (`[a:b]`, at character {at}) are not supported"
                ))
            }
        };
        if *self.peek() == Token::Colon {
            return Err(format!(
                "slices (`[a:b]`, at character {at}) are not supported"
            ));
        }
        self.expect(Token::RBracket)?;
        Ok(Ast::Index(index))
    }

    /// `[?condition]` after its `[?`, and the projection that follows.
    fn filter(&mut self, left: Ast) -> Result<Ast, String> {
        let condition = self.expression(0)?;
        self.expect(Token::RBracket)?;
        let right = if *self.peek() == Token::Flatten {
            Ast::Identity
        } else {
            self.projection_right(Token::Filter.binding_power())?
        };
        Ok(Ast::Filter {
            left: Box::new(left),
            condition: Box::new(condition),
            right: Box::new(right),
        })
    }

    /// `left[]` after its `[]`, and the projection that follows.
    fn flatten(&mut self, left: Ast) -> Result<Ast, String> {
        let right = self.projection_right(Token::Flatten.binding_power())?;
        Ok(Ast::Projection(
            Box::new(Ast::Flatten(Box::new(left))),
            Box::new(right),
        ))
    }

    /// The right side of a projection: what each element goes through.
    fn projection_right(&mut self, binding_power: u8) -> Result<Ast, String> {
        let next = self.peek();
        if next.binding_power() < PROJECTION_STOP {
            return Ok(Ast::Identity);
        }
        match next {
            Token::LBracket | Token::Filter => self.expression(binding_power),
            Token::Dot => {
                self.advance();
                self.dot_right(binding_power)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// What may follow a `.`: a name, `*`, or a multi-select (refused).
    fn dot_right(&mut self, binding_power: u8) -> Result<Ast, String> {
        let at = self.offset() + 1;
        match self.peek() {
            Token::Identifier(_) | Token::QuotedIdentifier(_) | Token::Star => {
                self.expression(binding_power)
            }
            Token::LBracket => Err(format!(
                "multi-select lists (`.[a, b]`, at character {at}) are not supported"
            )),
            Token::LBrace => Err(format!(
                "multi-select hashes (`.{{a: b}}`, at character {at}) are not supported"
            )),
            _ => Err(self.unexpected()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &str) -> Box<Ast> {
        Box::new(Ast::Field(name.to_owned()))
    }

    fn sub(left: Box<Ast>, right: Box<Ast>) -> Box<Ast> {
        Box::new(Ast::Subexpr(left, right))
    }

    #[test]
    fn paths_and_projections() {
        assert_eq!(
            parse("Table.TableStatus").unwrap(),
            *sub(field("Table"), field("TableStatus"))
        );
        // `[]` flattens, then projects the rest of the path.
        assert_eq!(
            parse("KinesisDataStreamDestinations[].DestinationStatus").unwrap(),
            Ast::Projection(
                Box::new(Ast::Flatten(field("KinesisDataStreamDestinations"))),
                field("DestinationStatus")
            )
        );
        assert_eq!(
            parse("a[*].b.c").unwrap(),
            Ast::Projection(field("a"), sub(field("b"), field("c")))
        );
        // A second `[]` stops the first projection and flattens its result.
        assert_eq!(
            parse("a[].b[]").unwrap(),
            Ast::Projection(
                Box::new(Ast::Flatten(Box::new(Ast::Projection(
                    Box::new(Ast::Flatten(field("a"))),
                    field("b")
                )))),
                Box::new(Ast::Identity)
            )
        );
        assert_eq!(
            parse("a[0]").unwrap(),
            *sub(field("a"), Box::new(Ast::Index(0)))
        );
        assert_eq!(
            parse("a[-1].b").unwrap(),
            *sub(sub(field("a"), Box::new(Ast::Index(-1))), field("b"))
        );
        assert_eq!(
            parse("\"quoted name\".x").unwrap(),
            *sub(field("quoted name"), field("x"))
        );
        assert_eq!(parse("@").unwrap(), Ast::Identity);
        assert_eq!(
            parse("*.a").unwrap(),
            Ast::ValueProjection(Box::new(Ast::Identity), field("a"))
        );
    }

    #[test]
    fn filters_comparisons_and_logic() {
        let dynamodb = "length(KinesisDataStreamDestinations) > `0`  && length(KinesisDataStreamDestinations[?DestinationStatus == 'DISABLED' || DestinationStatus == 'ENABLE_FAILED']) ==  length(KinesisDataStreamDestinations)";
        let length = |arg: Ast| Box::new(Ast::Function("length".to_owned(), vec![arg]));
        let status_is = |value: &str| {
            Box::new(Ast::Compare(
                CompareOp::Eq,
                field("DestinationStatus"),
                Box::new(Ast::Literal(json!(value))),
            ))
        };
        assert_eq!(
            parse(dynamodb).unwrap(),
            Ast::And(
                Box::new(Ast::Compare(
                    CompareOp::Gt,
                    length(Ast::Field("KinesisDataStreamDestinations".to_owned())),
                    Box::new(Ast::Literal(json!(0)))
                )),
                Box::new(Ast::Compare(
                    CompareOp::Eq,
                    length(Ast::Filter {
                        left: field("KinesisDataStreamDestinations"),
                        condition: Box::new(Ast::Or(
                            status_is("DISABLED"),
                            status_is("ENABLE_FAILED")
                        )),
                        right: Box::new(Ast::Identity),
                    }),
                    length(Ast::Field("KinesisDataStreamDestinations".to_owned())),
                ))
            )
        );
        // `||` binds less tightly than `&&`, `!` more tightly than both.
        assert_eq!(
            parse("a || b && !c").unwrap(),
            Ast::Or(
                field("a"),
                Box::new(Ast::And(field("b"), Box::new(Ast::Not(field("c")))))
            )
        );
        assert_eq!(
            parse("!(a == b)").unwrap(),
            Ast::Not(Box::new(Ast::Compare(
                CompareOp::Eq,
                field("a"),
                field("b")
            )))
        );
        assert_eq!(
            parse("a[?b >= `2`].c").unwrap(),
            Ast::Filter {
                left: field("a"),
                condition: Box::new(Ast::Compare(
                    CompareOp::Ge,
                    field("b"),
                    Box::new(Ast::Literal(json!(2)))
                )),
                right: field("c"),
            }
        );
        assert_eq!(
            parse("contains(a, 'it''s')").unwrap_err(),
            "unexpected literal `\"s\"` at character 17"
        );
        assert_eq!(
            parse(r"contains(a, 'it\'s')").unwrap(),
            Ast::Function(
                "contains".to_owned(),
                vec![Ast::Field("a".to_owned()), Ast::Literal(json!("it's"))]
            )
        );
        assert_eq!(
            parse(r"'a\\b \n \'q\''").unwrap(),
            Ast::Literal(json!(r"a\b \n 'q'"))
        );
        assert_eq!(
            parse(r#""quo\"ted""#).unwrap(),
            Ast::Field("quo\"ted".to_owned())
        );
        assert_eq!(
            parse(r"`\`x\``").unwrap_err(),
            "the literal `` `x` `` at character 1 is not JSON: expected value at line 1 column 1"
        );
        assert_eq!(parse("a | b").unwrap(), Ast::Pipe(field("a"), field("b")));
        assert_eq!(
            parse("`[1, \"x\"]`").unwrap(),
            Ast::Literal(json!([1, "x"]))
        );
    }

    #[test]
    fn what_is_not_supported_or_malformed_is_refused_with_a_reason() {
        for (text, error) in [
            ("a[1:2]", "slices (`[a:b]`, at character 3) are not supported"),
            ("a.[b, c]", "multi-select lists (`.[a, b]`, at character 3) are not supported"),
            ("[a, b]", "multi-select lists (`[a, b]`, at character 1) are not supported"),
            ("a.{b: c}", "multi-select hashes (`.{a: b}`, at character 3) are not supported"),
            ("sort_by(a, &b)", "expression references (`&`, at character 12) are not supported"),
            ("", "unexpected end of the expression at character 1"),
            ("a.", "unexpected end of the expression at character 3"),
            ("a b", "unexpected `b` at character 3"),
            ("a[", "unexpected end of the expression at character 3"),
            ("'open", "the `'` at character 1 is never closed"),
            ("`{oops`", "the literal `{oops` at character 1 is not JSON: key must be a string at line 1 column 2"),
            ("a == ", "unexpected end of the expression at character 6"),
            ("a # b", "unexpected character `#` at character 3"),
            ("(a", "expected `)` at character 3, found end of the expression"),
            ("@(c)", "`(` at character 2 calls something that is not a function name"),
        ] {
            assert_eq!(parse(text).unwrap_err(), error, "{text:?}");
        }
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(
            parse(&deep).unwrap_err(),
            "the expression is nested too deeply"
        );
    }
}
