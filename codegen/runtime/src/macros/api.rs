//! The macros that declare a generated crate's API: members' getters and
//! setters, operations, their error enums, error structures, string enums
//! and fluent builders.

/// Declares a builder's three methods for one member: `name(value)`,
/// `set_name(Option<..>)` and `get_name()`.
///
/// `builder_setters!(kind name set_name get_name, Type, "docs")`, where
/// `Type` is `K => V` for `map`. The docs go on `name` (a list's and a
/// map's also say that it appends or inserts one); `set_name` and
/// `get_name` say what they do in one short line each, the same for every
/// member: the member's documentation three times over was measurably more
/// for the compiler to carry (as a `concat!` of the member's name per
/// method was more to expand). A leading `[inner]`
/// makes them work on `self.inner`'s field instead of `self`'s: a builder
/// that holds its structure (see [`holding_builder!`](crate::holding_builder)),
/// or a fluent builder's methods for a member of its operation's input
/// (`struct Fluent { inner: InputBuilder, .. }`), which set the input
/// builder's field directly rather than call its generic setters (a call
/// each is more for the compiler to check); `[inner inner]` for a fluent
/// builder whose input builder holds its structure.
///
/// Each rule writes all three methods itself: a nested macro call per
/// member was measurably more macro expansion for the compiler.
#[macro_export]
macro_rules! builder_setters {
    ($([$($via:ident)+])? value $name:ident $set:ident $get:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(mut self, input: impl ::std::convert::Into<$ty>) -> Self {
            self$($(.$via)+)?.$name = ::std::option::Option::Some(input.into());
            self
        }
        #[doc = " Sets the member, or clears it with `None`."]
        #[inline]
        pub fn $set(mut self, input: ::std::option::Option<$ty>) -> Self {
            self$($(.$via)+)?.$name = input;
            self
        }
        #[doc = " The member's value set so far, if any."]
        #[inline]
        pub fn $get(&self) -> &::std::option::Option<$ty> {
            &self$($(.$via)+)?.$name
        }
    };
    ($([$($via:ident)+])? boxed $name:ident $set:ident $get:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(mut self, input: impl ::std::convert::Into<$ty>) -> Self {
            self$($(.$via)+)?.$name = ::std::option::Option::Some(::std::boxed::Box::new(input.into()));
            self
        }
        #[doc = " Sets the member, or clears it with `None`."]
        #[inline]
        pub fn $set(mut self, input: ::std::option::Option<::std::boxed::Box<$ty>>) -> Self {
            self$($(.$via)+)?.$name = input;
            self
        }
        #[doc = " The member's value set so far, if any."]
        #[inline]
        pub fn $get(&self) -> &::std::option::Option<::std::boxed::Box<$ty>> {
            &self$($(.$via)+)?.$name
        }
    };
    ($([$($via:ident)+])? list $name:ident $set:ident $get:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = " Appends an item; to replace the whole list use the `set_` method."]
        #[inline]
        pub fn $name(mut self, input: impl ::std::convert::Into<$item>) -> Self {
            self$($(.$via)+)?
                .$name
                .get_or_insert_with(::std::default::Default::default)
                .push(input.into());
            self
        }
        #[doc = " Sets the member, or clears it with `None`."]
        #[inline]
        pub fn $set(mut self, input: ::std::option::Option<::std::vec::Vec<$item>>) -> Self {
            self$($(.$via)+)?.$name = input;
            self
        }
        #[doc = " The member's value set so far, if any."]
        #[inline]
        pub fn $get(&self) -> &::std::option::Option<::std::vec::Vec<$item>> {
            &self$($(.$via)+)?.$name
        }
    };
    ($([$($via:ident)+])? map $name:ident $set:ident $get:ident, $key:ty => $value:ty, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = " Adds one entry; to replace the whole map use the `set_` method."]
        #[inline]
        pub fn $name(
            mut self,
            key: impl ::std::convert::Into<$key>,
            value: impl ::std::convert::Into<$value>,
        ) -> Self {
            self$($(.$via)+)?
                .$name
                .get_or_insert_with(::std::default::Default::default)
                .insert(key.into(), value.into());
            self
        }
        #[doc = " Sets the member, or clears it with `None`."]
        #[inline]
        pub fn $set(mut self, input: ::std::option::Option<::std::collections::HashMap<$key, $value>>) -> Self {
            self$($(.$via)+)?.$name = input;
            self
        }
        #[doc = " The member's value set so far, if any."]
        #[inline]
        pub fn $get(&self) -> &::std::option::Option<::std::collections::HashMap<$key, $value>> {
            &self$($(.$via)+)?.$name
        }
    };
}

/// Declares a structure's `builder()`, which starts from its builder's
/// default: `builder_fn!(Name => NameBuilder, "docs")`.
#[macro_export]
macro_rules! builder_fn {
    ($name:ident => $builder:ident, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn builder() -> $builder {
            <$builder as ::std::default::Default>::default()
        }
    };
}

/// What a builder that holds its structure needs besides its setters:
/// `holding_builder!(Name => NameBuilder.inner, fmt_name { member "member", .. })`
/// for `struct NameBuilder { inner: Name }` (`.inner` names the field
/// that holds the structure), where every member of `Name` is an `Option` (so the builder's fields would be the structure's, as
/// they are for most inputs and outputs). It declares `fn fmt_name`, which
/// prints a `Name`'s members as `#[derive(Debug)]` does under the name it
/// is given, and implements `Debug` for both types through it, `Clone` and
/// `PartialEq` for both (what the derives would write), and the builder's
/// `Default` (every member unset).
///
/// Written here rather than derived, `PartialEq` adds no
/// `StructuralPartialEq` impl and no derive is expanded; the printing
/// function is no trait impl: for the compiler each impl and each
/// expansion is work of its own.
#[macro_export]
macro_rules! holding_builder {
    ($name:ident => $builder:ident . $held:ident, $fmt:ident { $($member:ident $label:literal),* $(,)? }) => {
        #[inline]
        fn $fmt(
            f: &mut ::std::fmt::Formatter<'_>,
            name: &str,
            value: &$name,
        ) -> ::std::fmt::Result {
            $crate::debug::members(f, name, &[$($label),*], &[$(&value.$member),*])
        }
        impl ::std::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $fmt(f, ::std::stringify!($name), self)
            }
        }
        impl ::std::fmt::Debug for $builder {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $fmt(f, ::std::stringify!($builder), &self.$held)
            }
        }
        impl ::std::default::Default for $builder {
            #[inline]
            fn default() -> Self {
                Self {
                    $held: $name {
                        $($member: ::std::option::Option::None),*
                    },
                }
            }
        }
        impl ::std::clone::Clone for $name {
            #[inline]
            fn clone(&self) -> Self {
                Self {
                    $($member: ::std::clone::Clone::clone(&self.$member)),*
                }
            }
        }
        impl ::std::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$member == other.$member)*
            }
        }
        impl ::std::clone::Clone for $builder {
            #[inline]
            fn clone(&self) -> Self {
                Self {
                    $held: ::std::clone::Clone::clone(&self.$held),
                }
            }
        }
        impl ::std::cmp::PartialEq for $builder {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.$held == other.$held
            }
        }
    };
}

/// A structure made from its builder, in the builder's `build`:
/// `from_builder!(self => Name { a, b = expr, .. })`. The builder is taken
/// apart into one variable per member; a member named alone is the
/// builder's field as it is, `b = expr` is set to `expr`, which may use the
/// variables (`b = rt::error::required(b, "b", "Name")?` for a required
/// member, `c = c.unwrap_or(0)` for a default). `from_builder!(ok self => ..)`
/// wraps the structure in `Ok`, for a `build` that can fail.
///
/// One invocation per builder, where the structure literal spelled out
/// took a line per member.
#[macro_export]
macro_rules! from_builder {
    (ok $builder:ident => $name:ident { $($member:ident $(= $init:expr)?),* $(,)? }) => {{
        // The variables are named after the members, whatever they are.
        #[allow(clippy::disallowed_names)]
        let Self { $($member,)* .. } = $builder;
        ::std::result::Result::Ok($name { $($member $(: $init)?),* })
    }};
    ($builder:ident => $name:ident { $($member:ident $(= $init:expr)?),* $(,)? }) => {{
        // The variables are named after the members, whatever they are.
        #[allow(clippy::disallowed_names)]
        let Self { $($member,)* .. } = $builder;
        $name { $($member $(: $init)?),* }
    }};
}

/// Declares a structure's getter for one member, named after it.
///
/// `getter!(kind name, Type, "docs")`. The kind says what the getter lends:
///
/// | kind        | field          | returns                              |
/// | ----------- | -------------- | ------------------------------------ |
/// | `str_opt`   | `Option<String>` | `Option<&str>`                     |
/// | `str`       | `String`       | `&str`                               |
/// | `slice_opt` | `Option<Vec<T>>` | `&[T]`, empty when unset           |
/// | `slice`     | `Vec<T>`       | `&[T]`                               |
/// | `map_opt`   | `Option<HashMap<K, V>>` | `Option<&HashMap<K, V>>`    |
/// | `map`       | `HashMap<K, V>` | `&HashMap<K, V>`                    |
/// | `copy_opt`  | `Option<T>`    | `Option<T>` (`T: Copy`)              |
/// | `copy`      | `T`            | `T` (`T: Copy`)                      |
/// | `deref_opt` | `Option<Box<T>>` | `Option<&T>`                       |
/// | `ref_opt`   | `Option<T>`    | `Option<&T>`                         |
/// | `by_ref`    | `T` or `Box<T>` | `&T`                               |
///
/// `str_opt` and `str` take no type; `map_opt` and `map` take `K => V`.
#[macro_export]
macro_rules! getter {
    (str_opt $name:ident, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> ::std::option::Option<&str> {
            self.$name.as_deref()
        }
    };
    (str $name:ident, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> &str {
            &self.$name
        }
    };
    (slice_opt $name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> &[$item] {
            self.$name.as_deref().unwrap_or_default()
        }
    };
    (slice $name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> &[$item] {
            &self.$name
        }
    };
    (map_opt $name:ident, $key:ty => $value:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> ::std::option::Option<&::std::collections::HashMap<$key, $value>> {
            self.$name.as_ref()
        }
    };
    (map $name:ident, $key:ty => $value:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> &::std::collections::HashMap<$key, $value> {
            &self.$name
        }
    };
    (copy_opt $name:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> ::std::option::Option<$ty> {
            self.$name
        }
    };
    (copy $name:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> $ty {
            self.$name
        }
    };
    (deref_opt $name:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> ::std::option::Option<&$ty> {
            self.$name.as_deref()
        }
    };
    (ref_opt $name:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> ::std::option::Option<&$ty> {
            self.$name.as_ref()
        }
    };
    (by_ref $name:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(&self) -> &$ty {
            &self.$name
        }
    };
}

/// Implements an operation's error enum: its constructors of unhandled
/// errors, `meta()`, an `is_*()` method per modeled error, `Display`,
/// `Error` and the metadata traits.
///
/// `operation_error!(Enum { is_variant(Variant) "docs", .. })` for
/// `enum Enum { Variant(error::Variant), .., Unhandled(Unhandled) }`, where
/// every variant's error implements [`ErrorVariant`](crate::error::ErrorVariant)
/// and [`ParseModeledError`](crate::error::ParseModeledError).
///
/// Besides the enum's helpers and error impls, it gives the crate
/// `Enum::MODELED_ERRORS`, the list the operation's
/// [`OperationSpec`](crate::spec::OperationSpec) retries by, and
/// `Enum::from_response`, which reads the variant an error response names.
#[macro_export]
macro_rules! operation_error {
    ($name:ident { $($is:ident($variant:ident) $doc:literal),* $(,)? }) => {
        impl $name {
            /// The operation's modeled errors, one per variant.
            pub(crate) const MODELED_ERRORS: &'static [$crate::spec::ModeledError] =
                &[$($crate::error::modeled_of(Self::$variant)),*];
            /// The error an error response carries: the variant its code
            /// names, or an unhandled error for another code or a body that
            /// does not parse as that variant's error.
            #[inline]
            #[allow(unused_variables)]
            pub(crate) fn from_response(
                response: &$crate::http::HttpResponse,
                meta: $crate::error::ErrorMetadata,
            ) -> Self {
                let code = meta.code().unwrap_or_default();
                $(
                    if $crate::error::is_variant(Self::$variant, code) {
                        return $crate::error::parse_into(Self::$variant, response, meta);
                    }
                )*
                Self::generic(meta)
            }
            /// An unhandled error wrapping `err`.
            #[inline]
            pub fn unhandled(err: impl ::std::convert::Into<$crate::error::BoxError>) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(
                    err,
                    ::std::default::Default::default(),
                ))
            }
            /// An unhandled error carrying only the metadata the response gave.
            #[inline]
            pub fn generic(meta: $crate::error::ErrorMetadata) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(meta.clone(), meta))
            }
            /// The error metadata: code, message and request id.
            #[inline]
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                self.variant().1.meta()
            }
            /// The name and the error of whichever variant this is.
            #[inline]
            fn variant(&self) -> (&'static str, &dyn $crate::error::ErrorVariant) {
                match self {
                    $(Self::$variant(err) => (::std::stringify!($variant), err),)*
                    Self::Unhandled(err) => ("Unhandled", err),
                }
            }
            $(
                #[doc = $doc]
                #[inline]
                pub fn $is(&self) -> bool {
                    match self {
                        Self::$variant(..) => true,
                        _ => false,
                    }
                }
            )*
        }
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.variant().1, f)
            }
        }
        // What `#[derive(Debug)]` prints, with one match (`variant`) for all.
        impl ::std::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let (name, err) = self.variant();
                f.debug_tuple(name).field(&err).finish()
            }
        }
        impl ::std::error::Error for $name {
            #[inline]
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::option::Option::Some(self.variant().1.as_error())
            }
        }
        impl $crate::error::ProvideErrorMetadata for $name {
            #[inline]
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                $name::meta(self)
            }
        }
        impl $crate::error::CreateUnhandledError for $name {
            #[inline]
            fn create_unhandled_error(
                source: $crate::error::BoxError,
                meta: ::std::option::Option<$crate::error::ErrorMetadata>,
            ) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(source, meta.unwrap_or_default()))
            }
        }
    };
}

/// Implements what every error structure has besides its members: `meta()`
/// on the error and `meta()`/`set_meta()` on its builder, `Display`,
/// `Error`, [`ProvideErrorMetadata`](crate::error::ProvideErrorMetadata)
/// and [`ParseModeledError`](crate::error::ParseModeledError).
///
/// `modeled_error!(Error, Builder, client "Code" retryable(false), message(..), build)`:
/// - the fault (`client` or `server`) and code on the wire, then
///   `query("Code")` when a query-compatible service sends another code for
///   it (`aws.protocols#awsQueryError`), then `retryable(throttling)` when
///   the error is retryable;
/// - where `Display` finds the message: `message(opt field)` (an
///   `Option<String>` member), `message(field name)` (a `String` member),
///   `message(redacted)` (a sensitive member, never shown) or `message(meta)`
///   (the error metadata);
/// - how a parsed builder becomes the error: `build`, or `finish` (the
///   module's `fn finish(builder, path)`, which fills required members);
/// - optionally, after it, `http fn_name`: a function of the response and
///   the builder read from the body that reads the members bound outside
///   it (headers, the status code), under protocols that bind HTTP; or
///   `payload fn_name`, the same for an error with an `@httpPayload`
///   member, whose body is that member rather than a JSON object of
///   members (the function reads it; the builder it gets is empty).
///
/// Parsing reads the body into the builder with [`json::de_builder`](crate::json::de_builder)
/// (see [`de_builder!`](crate::de_builder)).
/// The error and its builder have a `meta` field.
#[macro_export]
macro_rules! modeled_error {
    (
        $name:ident, $builder:ident,
        $fault:ident $code:literal $(query($query:literal))? $(retryable($throttling:literal))?,
        message($($message:tt)*), $done:ident $(, $bound:ident $http:path)? $(,)?
    ) => {
        impl $name {
            /// The error metadata: code, message and request id.
            #[inline]
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
        impl $builder {
            /// Sets the error metadata (code, message, request id).
            #[inline]
            pub fn meta(mut self, meta: $crate::error::ErrorMetadata) -> Self {
                self.meta = ::std::option::Option::Some(meta);
                self
            }
            /// Sets or clears the error metadata.
            #[inline]
            pub fn set_meta(
                &mut self,
                meta: ::std::option::Option<$crate::error::ErrorMetadata>,
            ) -> &mut Self {
                self.meta = meta;
                self
            }
        }
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::std::stringify!($name))?;
                $crate::modeled_error!(@message self f $($message)*);
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::error::Error for $name {}
        impl $crate::error::ProvideErrorMetadata for $name {
            #[inline]
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
        impl $crate::error::ParseModeledError for $name {
            const MODELED: $crate::spec::ModeledError =
                $crate::spec::ModeledError::$fault($code)$(.query_code($query))?$(.retryable($throttling))?;
            #[inline]
            fn parse(
                body: &[u8],
                meta: $crate::error::ErrorMetadata,
            ) -> ::std::result::Result<Self, $crate::error::DeserializeError> {
                $crate::built!($done $crate::json::body_builder::<$builder>(body)?.meta(meta))
            }
            $(
                #[inline]
                fn parse_response(
                    response: &$crate::http::HttpResponse,
                    meta: $crate::error::ErrorMetadata,
                ) -> ::std::result::Result<Self, $crate::error::DeserializeError> {
                    let builder = $crate::modeled_error!(@members $bound $builder, response);
                    $crate::built!($done $http(response, builder.meta(meta))?)
                }
            )?
        }
    };
    // The builder before the members bound outside the body are read.
    (@members http $builder:ident, $response:ident) => {
        $crate::json::body_builder::<$builder>(&$response.body)?
    };
    (@members payload $builder:ident, $response:ident) => {
        <$builder as ::std::default::Default>::default()
    };
    (@message $self:ident $f:ident opt $field:ident) => {
        if let ::std::option::Option::Some(message) = &$self.$field {
            ::std::write!($f, ": {}", message)?;
        }
    };
    (@message $self:ident $f:ident redacted) => {
        $f.write_str(": *** Sensitive Data Redacted ***")?;
    };
    (@message $self:ident $f:ident meta) => {
        if let ::std::option::Option::Some(message) = $self.meta.message() {
            ::std::write!($f, ": {}", message)?;
        }
    };
    (@message $self:ident $f:ident field $field:ident) => {
        ::std::write!($f, ": {}", $self.$field)?;
    };
}

/// Declares an operation's `OPERATION`, the spec its requests are sent,
/// signed and retried by; `orchestrate` on the operation's (unit) type,
/// which sends an input; and `de_output`, which reads the output from a 2xx
/// response.
///
/// `operation!(Op "WireName", Input => Output, Error, auth SigV4, service crate::SERVICE, output build)`,
/// with optional parts after `auth`, in this order:
/// `compression true` (the request body may be compressed),
/// `unsigned_payload true` (`aws.auth#unsignedPayload`: SigV4 does not
/// sign the payload), `endpoint params,` (the operation's
/// [`OperationEndpointParams`](crate::endpoint::OperationEndpointParams);
/// none by default), followed by `input endpoint_input_fn,` when the
/// parameters read input members (the function writes those members as a
/// JSON object), `host host_prefix_fn` (fills the
/// `smithy.api#endpoint` host prefix; none by default),
/// `prepare prepare_fn` (fills in what the caller left unset,
/// `fn(&mut Input, &Config)`: `@idempotencyToken` members, a service
/// customization's defaults), `customize customize_fn` (adds what a
/// service customization adds to every request,
/// `fn(&Input, &mut RequestWriter) -> Result<(), SerializeError>`) and
/// `stream take_fn` (takes the input's `@streaming` payload,
/// `fn(&mut Input) -> ByteStream`). `output build OutputBuilder` or
/// `output finish OutputBuilder` says how the output is made from its
/// builder (see [`modeled_error!`]), read from the whole JSON body with
/// [`json::de_builder`](crate::json::de_builder); `output own`
/// says the module reads it with its own `fn de_output(&HttpResponse)`
/// instead (under protocols that bind members outside the body), and
/// `output stream` with its own
/// `fn de_output(&HttpResponse, ByteStream)`, given the body unread (an
/// output with a `@streaming` member). The module has `ser_input`, and
/// `Error` is declared with [`operation_error!`].
///
/// Everything an operation's call runs is `#[inline]`: the SDK crate's own
/// build generates no code for it, and a program's build generates code
/// only for the operations the program calls.
#[macro_export]
macro_rules! operation {
    (
        $op:ident $wire:literal, $input:ident => $output:ident, $error:ident, auth $auth:tt,
        $(compression $compression:literal,)?
        $(unsigned_payload $unsigned:literal,)?
        $(endpoint $params:expr, $(input $endpoint_input:path,)?)?
        $(host $host:expr,)?
        $(prepare $prepare:path,)?
        $(customize $customize:path,)?
        $(stream $take_stream:path,)?
        service $service:path, output $done:ident $($builder:ident)? $(,)?
    ) => {
        /// How requests of this operation are sent, signed and retried.
        pub(crate) static OPERATION: $crate::spec::OperationSpec =
            $crate::spec::OperationSpec::new($wire, $crate::operation!(@auth $auth), $error::MODELED_ERRORS)
                $(.with_request_compression($compression))?
                $(.with_endpoint_params($params))?;
        impl $op {
            /// Sends `input`, or fails with its build error.
            #[inline]
            pub(crate) fn orchestrate(
                handle: ::std::sync::Arc<$crate::client::Handle>,
                input: ::std::result::Result<$input, $crate::error::BuildError>,
            ) -> $crate::operation::SendFuture<$output, $error> {
                let codec = $crate::operation::OperationCodec::new(
                    ser_input,
                    $crate::operation!(@parse $done),
                    $error::from_response,
                )
                $(.with_host_prefix($host))?
                $($(.with_endpoint_input($endpoint_input))?)?
                $(.with_prepare($prepare))?
                $(.with_customize($customize))?
                $(.with_stream($take_stream))?
                $(.with_unsigned_payload($unsigned))?;
                $crate::operation::send(handle, &$service, &OPERATION, input, codec)
            }
        }
        $crate::operation!(@de_output $output $done $($builder)?);
    };
    (@parse stream) => {
        $crate::operation::ParseOutput::Streamed(de_output)
    };
    (@parse $done:ident) => {
        $crate::operation::ParseOutput::Whole(de_output)
    };
    (@de_output $output:ident own) => {};
    (@de_output $output:ident stream) => {};
    (@de_output $output:ident $done:ident $builder:ident) => {
        #[inline]
        fn de_output(
            response: &$crate::http::HttpResponse,
        ) -> ::std::result::Result<$output, $crate::error::DeserializeError> {
            $crate::built!($done $crate::json::body_builder::<$builder>(&response.body)?)
        }
    };
    // `SigV4` or `None`, else the schemes in order: `[HttpBearer, SigV4]`.
    (@auth [$($scheme:ident),+ $(,)?]) => {
        $crate::spec::AuthMode::Schemes(&[$($crate::spec::AuthScheme::$scheme),+])
    };
    (@auth $auth:ident) => {
        $crate::spec::AuthMode::$auth
    };
}

/// Implements a fluent builder's `new`, `as_input` and `send`, for
/// `struct Fluent { handle: Arc<Handle>, inner: InputBuilder }`.
///
/// `fluent_builder!(Fluent, InputBuilder, super::Op => super::Output, super::Error, fallible)`,
/// where the last part says whether the input builder's `build` returns a
/// `Result` (`fallible`) or the input itself (`infallible`).
#[macro_export]
macro_rules! fluent_builder {
    ($fluent:ident, $input_builder:ident, $op:ty => $output:ty, $error:ty, $build:ident $(,)?) => {
        impl $fluent {
            #[inline]
            pub(crate) fn new(handle: ::std::sync::Arc<$crate::client::Handle>) -> Self {
                Self {
                    handle,
                    inner: ::std::default::Default::default(),
                }
            }
            /// The input built so far.
            #[inline]
            pub fn as_input(&self) -> &$input_builder {
                &self.inner
            }
            /// Sends the request and returns the response.
            ///
            /// Errors the service returns are
            /// [`SdkError::ServiceError`](::smithgen_runtime::error::SdkError::ServiceError)
            /// holding the operation's error enum.
            #[inline]
            pub fn send(self) -> $crate::operation::SendFuture<$output, $error> {
                <$op>::orchestrate(self.handle, $crate::fluent_builder!(@input $build self.inner))
            }
        }
    };
    (@input fallible $inner:expr) => {
        $inner.build()
    };
    (@input infallible $inner:expr) => {
        ::std::result::Result::Ok($inner.build())
    };
}

/// Implements a string enum: `From<&str>` (unknown values go to
/// `Unknown`), `FromStr`, `as_str()`, `values()`, `AsRef<str>` and `Display`.
///
/// `string_enum!(Enum { Variant("WIRE_VALUE"), .. })` for
/// `enum Enum { Variant, .., Unknown(UnknownVariantValue) }`.
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident($value:literal)),* $(,)? }) => {
        impl ::std::convert::From<&str> for $name {
            #[inline]
            fn from(s: &str) -> Self {
                match s {
                    $($value => $name::$variant,)*
                    other => $name::Unknown($crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            // Not `Self::Err`, which a variant named `Err` would make ambiguous.
            #[inline]
            fn from_str(s: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok($name::from(s))
            }
        }
        impl $name {
            /// The value as it is sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $value,)*
                    $name::Unknown(value) => value.as_str(),
                }
            }
            /// Every value this version of the crate knows.
            #[inline]
            pub const fn values() -> &'static [&'static str] {
                &[$($value),*]
            }
        }
        impl $crate::json::WriteJson for $name {
            #[inline]
            fn write_json(
                &self,
                w: &mut $crate::json::JsonWriter,
            ) -> ::std::result::Result<(), $crate::error::SerializeError> {
                w.string(self.as_str());
                ::std::result::Result::Ok(())
            }
        }
        impl $crate::json::ReadJson for $name {
            #[inline]
            fn read_json(
                value: &$crate::serde_json::Value,
                path: &str,
            ) -> ::std::result::Result<::std::option::Option<Self>, $crate::error::DeserializeError> {
                $crate::json::de_enum(value, path)
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
