//! Macros that declare the small per-member methods of generated shapes and
//! builders.
//!
//! Every member of every generated structure has a getter, three builder
//! methods and, on operation inputs, three fluent-builder methods. Spelled out
//! they were most of a generated crate's lines; generated crates now write one
//! invocation per member instead, and the methods (their names, signatures and
//! documentation) are exactly those the invocation describes.
//!
//! Each macro takes a *kind* first, saying how the member is stored:
//!
//! | kind    | builder field                | `name(..)` does          |
//! | ------- | ---------------------------- | ------------------------ |
//! | `value` | `Option<T>`                  | sets the value           |
//! | `boxed` | `Option<Box<T>>`             | sets the value, boxed    |
//! | `list`  | `Option<Vec<T>>`             | appends one item `T`     |
//! | `map`   | `Option<HashMap<K, V>>`      | inserts one entry `K => V` |

/// Declares a builder's three methods for one member: `name(value)`,
/// `set_name(Option<..>)` and `get_name()`.
///
/// `builder_setters!(kind name set_name get_name, Type, "WireName", "docs")`,
/// where `Type` is `K => V` for `map`. The docs go on `name`; `set_name` and
/// `get_name` say which wire member they set or read.
#[macro_export]
macro_rules! builder_setters {
    (value $name:ident $set:ident $get:ident, $ty:ty, $wire:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(mut self, input: impl ::std::convert::Into<$ty>) -> Self {
            self.$name = ::std::option::Option::Some(input.into());
            self
        }
        $crate::builder_setters!(@set_get $name $set $get: $ty; $wire);
    };
    (boxed $name:ident $set:ident $get:ident, $ty:ty, $wire:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(mut self, input: impl ::std::convert::Into<$ty>) -> Self {
            self.$name = ::std::option::Option::Some(::std::boxed::Box::new(input.into()));
            self
        }
        $crate::builder_setters!(@set_get $name $set $get: ::std::boxed::Box<$ty>; $wire);
    };
    (list $name:ident $set:ident $get:ident, $item:ty, $wire:literal, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = " Appends an item; to replace the whole list use the `set_` method."]
        #[inline]
        pub fn $name(mut self, input: impl ::std::convert::Into<$item>) -> Self {
            self.$name
                .get_or_insert_with(::std::default::Default::default)
                .push(input.into());
            self
        }
        $crate::builder_setters!(@set_get $name $set $get: ::std::vec::Vec<$item>; $wire);
    };
    (map $name:ident $set:ident $get:ident, $key:ty => $value:ty, $wire:literal, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = " Adds one entry; to replace the whole map use the `set_` method."]
        #[inline]
        pub fn $name(
            mut self,
            key: impl ::std::convert::Into<$key>,
            value: impl ::std::convert::Into<$value>,
        ) -> Self {
            self.$name
                .get_or_insert_with(::std::default::Default::default)
                .insert(key.into(), value.into());
            self
        }
        $crate::builder_setters!(
            @set_get $name $set $get: ::std::collections::HashMap<$key, $value>; $wire
        );
    };
    (@set_get $name:ident $set:ident $get:ident: $stored:ty; $wire:literal) => {
        #[doc = concat!(" Sets or clears `", $wire, "`.")]
        #[inline]
        pub fn $set(mut self, input: ::std::option::Option<$stored>) -> Self {
            self.$name = input;
            self
        }
        #[doc = concat!(" The `", $wire, "` value set so far.")]
        #[inline]
        pub fn $get(&self) -> &::std::option::Option<$stored> {
            &self.$name
        }
    };
}

/// Declares a fluent builder's three methods for one member of its
/// operation's input; each hands over to the input builder's method of the
/// same name (see [`builder_setters!`], which takes the same arguments).
#[macro_export]
macro_rules! fluent_setters {
    (value $name:ident $set:ident $get:ident, $ty:ty, $wire:literal, $doc:literal) => {
        $crate::fluent_setters!(@one $name(input: $ty) $set $get: $ty; $wire, $doc);
    };
    (boxed $name:ident $set:ident $get:ident, $ty:ty, $wire:literal, $doc:literal) => {
        $crate::fluent_setters!(
            @one $name(input: $ty) $set $get: ::std::boxed::Box<$ty>; $wire, $doc
        );
    };
    (list $name:ident $set:ident $get:ident, $item:ty, $wire:literal, $doc:literal) => {
        $crate::fluent_setters!(
            @one $name(input: $item) $set $get: ::std::vec::Vec<$item>; $wire, $doc
        );
    };
    (map $name:ident $set:ident $get:ident, $key:ty => $value:ty, $wire:literal, $doc:literal) => {
        $crate::fluent_setters!(
            @one $name(key: $key, value: $value) $set $get:
                ::std::collections::HashMap<$key, $value>; $wire, $doc
        );
    };
    (@one $name:ident($($arg:ident: $arg_ty:ty),+) $set:ident $get:ident: $stored:ty;
        $wire:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(mut self, $($arg: impl ::std::convert::Into<$arg_ty>),+) -> Self {
            self.inner = self.inner.$name($($arg),+);
            self
        }
        #[doc = concat!(" Sets or clears `", $wire, "`.")]
        #[inline]
        pub fn $set(mut self, input: ::std::option::Option<$stored>) -> Self {
            self.inner = self.inner.$set(input);
            self
        }
        #[doc = concat!(" The `", $wire, "` value set so far.")]
        #[inline]
        pub fn $get(&self) -> &::std::option::Option<$stored> {
            self.inner.$get()
        }
    };
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
/// `operation_error!(Enum { is_variant(Variant), .. })` for
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
    ($name:ident { $($is:ident($variant:ident)),* $(,)? }) => {
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
                    if let ::std::option::Option::Some(parsed) =
                        $crate::error::parse_variant(Self::$variant, code, &response.body, &meta)
                    {
                        return parsed.unwrap_or_else(Self::Unhandled);
                    }
                )*
                Self::generic(meta)
            }
            /// An unhandled error wrapping `err`.
            pub fn unhandled(err: impl ::std::convert::Into<$crate::error::BoxError>) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(
                    err,
                    ::std::default::Default::default(),
                ))
            }
            /// An unhandled error carrying only the metadata the response gave.
            pub fn generic(meta: $crate::error::ErrorMetadata) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(meta.clone(), meta))
            }
            /// The error metadata: code, message and request id.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                self.variant().meta()
            }
            /// The error inside whichever variant this is.
            fn variant(&self) -> &dyn $crate::error::ErrorVariant {
                match self {
                    $(Self::$variant(err) => err,)*
                    Self::Unhandled(err) => err,
                }
            }
            $(
                #[doc = concat!(
                    " Whether this is `", stringify!($name), "::", stringify!($variant), "`."
                )]
                #[inline]
                pub fn $is(&self) -> bool {
                    ::std::matches!(self, Self::$variant(..))
                }
            )*
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.variant(), f)
            }
        }
        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::option::Option::Some(self.variant().as_error())
            }
        }
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                $name::meta(self)
            }
        }
        impl $crate::error::CreateUnhandledError for $name {
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
///   `retryable(throttling)` when the error is retryable;
/// - where `Display` finds the message: `message(opt field)` (an
///   `Option<String>` member), `message(field name)` (a `String` member),
///   `message(redacted)` (a sensitive member, never shown) or `message(meta)`
///   (the error metadata);
/// - how a parsed builder becomes the error: `build`, or `finish` (the
///   module's `fn finish(builder, path)`, which fills required members).
///
/// Parsing reads the body with the module's `de_builder` (see [`de_builder!`](crate::de_builder)).
/// The error and its builder have a `meta` field.
#[macro_export]
macro_rules! modeled_error {
    (
        $name:ident, $builder:ident,
        $fault:ident $code:literal $(retryable($throttling:literal))?,
        message($($message:tt)*), $done:ident $(,)?
    ) => {
        impl $name {
            /// The error metadata: code, message and request id.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
        impl $builder {
            /// Sets the error metadata (code, message, request id).
            pub fn meta(mut self, meta: $crate::error::ErrorMetadata) -> Self {
                self.meta = ::std::option::Option::Some(meta);
                self
            }
            /// Sets or clears the error metadata.
            pub fn set_meta(
                &mut self,
                meta: ::std::option::Option<$crate::error::ErrorMetadata>,
            ) -> &mut Self {
                self.meta = meta;
                self
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::std::stringify!($name))?;
                $crate::modeled_error!(@message self f $($message)*);
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::error::Error for $name {}
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
        impl $crate::error::ParseModeledError for $name {
            const MODELED: $crate::spec::ModeledError =
                $crate::spec::ModeledError::$fault($code)$(.retryable($throttling))?;
            #[inline]
            fn parse(
                body: &[u8],
                meta: $crate::error::ErrorMetadata,
            ) -> ::std::result::Result<Self, $crate::error::DeserializeError> {
                let value = $crate::json::parse_body(body)?;
                $crate::built!($done de_builder(&value, "")?.unwrap_or_default().meta(meta))
            }
        }
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

/// A structure from its builder as read from a response: `built!(build
/// builder)` builds it; `built!(finish builder)` goes through the module's
/// `fn finish(builder, path)`, which fills the required members the response
/// left out.
#[doc(hidden)]
#[macro_export]
macro_rules! built {
    (build $builder:expr) => {
        ::std::result::Result::Ok($builder.build())
    };
    (finish $builder:expr) => {
        finish($builder, "")
    };
}

/// Declares an operation's `OPERATION`, the spec its requests are sent,
/// signed and retried by; `orchestrate` on the operation's (unit) type,
/// which sends an input; and `de_output`, which reads the output from a 2xx
/// response.
///
/// `operation!(Op "WireName", Input => Output, Error, auth SigV4, service crate::SERVICE, output build)`,
/// with three optional parts after `auth`, in this order:
/// `compression true` (the request body may be compressed),
/// `endpoint params,` (the operation's
/// [`OperationEndpointParams`](crate::endpoint::OperationEndpointParams);
/// none by default), followed by `input endpoint_input_fn,` when the
/// parameters read input members (the function writes those members as a
/// JSON object), and `host host_prefix_fn` (fills the
/// `smithy.api#endpoint` host prefix; none by default). `output build` or
/// `output finish` says how the output is made from its builder (see
/// [`modeled_error!`]). The module has `ser_input` and `de_builder`, and
/// `Error` is declared with [`operation_error!`].
///
/// Everything an operation's call runs is `#[inline]`: the SDK crate's own
/// build generates no code for it, and a program's build generates code
/// only for the operations the program calls.
#[macro_export]
macro_rules! operation {
    (
        $op:ident $wire:literal, $input:ident => $output:ident, $error:ident, auth $auth:ident,
        $(compression $compression:literal,)?
        $(endpoint $params:expr, $(input $endpoint_input:path,)?)?
        $(host $host:expr,)?
        service $service:path, output $done:ident $(,)?
    ) => {
        /// How requests of this operation are sent, signed and retried.
        pub(crate) static OPERATION: $crate::spec::OperationSpec =
            $crate::spec::OperationSpec {
                name: $wire,
                auth: $crate::spec::AuthMode::$auth,
                errors: $error::MODELED_ERRORS,
                request_compression: $crate::operation!(@or $($compression)? ; false),
                endpoint_params: $crate::operation!(
                    @or $($params)? ; $crate::endpoint::OperationEndpointParams::NONE
                ),
            };
        impl $op {
            /// Sends `input`, or fails with its build error.
            #[inline]
            pub(crate) fn orchestrate(
                handle: ::std::sync::Arc<$crate::client::Handle>,
                input: ::std::result::Result<$input, $crate::error::BuildError>,
            ) -> $crate::operation::SendFuture<$output, $error> {
                let codec = $crate::operation::OperationCodec {
                    ser: ser_input,
                    host_prefix: $crate::operation!(
                        @or $($host)? ; $crate::operation::no_host_prefix
                    ),
                    endpoint_input: $crate::operation!(
                        @or $($(::std::option::Option::Some($endpoint_input))?)? ;
                        ::std::option::Option::None
                    ),
                    parse_ok: de_output,
                    parse_err: $error::from_response,
                };
                $crate::operation::send(handle, &$service, &OPERATION, input, codec)
            }
        }
        #[inline]
        fn de_output(
            response: &$crate::http::HttpResponse,
        ) -> ::std::result::Result<$output, $crate::error::DeserializeError> {
            let value = $crate::json::parse_body(&response.body)?;
            $crate::built!($done de_builder(&value, "")?.unwrap_or_default())
        }
    };
    (@or ; $default:expr) => {
        $default
    };
    (@or $given:expr ; $default:expr) => {
        $given
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

/// Declares `fn de_builder(value, path)`, which reads a JSON object into a
/// structure's builder: each listed key (or any of its `|` alternatives)
/// into its field, with [`ReadJson`](crate::json::ReadJson) or with the
/// reader given after `with` (a function of the value and its path); other
/// keys are skipped, and `null` gives `None`.
///
/// `de_builder!(Builder { "Key" => field, "a" | "A" => other, "T" => t with reader, .. })`.
#[macro_export]
macro_rules! de_builder {
    ($builder:ident {}) => {
        #[inline]
        fn de_builder(
            value: &$crate::serde_json::Value,
            path: &str,
        ) -> ::std::result::Result<::std::option::Option<$builder>, $crate::error::DeserializeError> {
            ::std::result::Result::Ok(
                $crate::json::de_object(value, path)?
                    .map(|_| <$builder as ::std::default::Default>::default()),
            )
        }
    };
    ($builder:ident { $($($key:literal)|+ => $field:ident $(with $read:expr)?),+ $(,)? }) => {
        #[inline]
        fn de_builder(
            value: &$crate::serde_json::Value,
            path: &str,
        ) -> ::std::result::Result<::std::option::Option<$builder>, $crate::error::DeserializeError> {
            let ::std::option::Option::Some(object) = $crate::json::de_object(value, path)? else {
                return ::std::result::Result::Ok(::std::option::Option::None);
            };
            // Qualified: a member named `default` gives the builder a method of that name.
            let mut builder = <$builder as ::std::default::Default>::default();
            for (key, v) in object {
                let p = key.as_str();
                match p {
                    $($($key)|+ => builder.$field = $crate::de_member!(v, p $(, $read)?)?,)+
                    _ => {}
                }
            }
            ::std::result::Result::Ok(::std::option::Option::Some(builder))
        }
    };
}

/// Implements [`ReadJson`](crate::json::ReadJson) for a structure read as a
/// member: the module's `de_builder` (see [`de_builder!`](crate::de_builder)) reads the object,
/// then `read_json!(Name, Builder, build)` builds it, or
/// `read_json!(Name, Builder, finish)` hands it to the module's
/// `fn finish(builder, path)`, which fills the required members the object
/// left out.
#[macro_export]
macro_rules! read_json {
    ($name:ident, $builder:ident, build $(,)?) => {
        impl $crate::json::ReadJson for $name {
            #[inline]
            fn read_json(
                value: &$crate::serde_json::Value,
                path: &str,
            ) -> ::std::result::Result<::std::option::Option<Self>, $crate::error::DeserializeError>
            {
                ::std::result::Result::Ok(de_builder(value, path)?.map($builder::build))
            }
        }
    };
    ($name:ident, $builder:ident, finish $(,)?) => {
        impl $crate::json::ReadJson for $name {
            #[inline]
            fn read_json(
                value: &$crate::serde_json::Value,
                path: &str,
            ) -> ::std::result::Result<::std::option::Option<Self>, $crate::error::DeserializeError>
            {
                de_builder(value, path)?
                    .map(|builder| finish(builder, path))
                    .transpose()
            }
        }
    };
}

/// A member's value as [`de_builder!`] reads it: with `ReadJson`, or with
/// the reader given.
#[doc(hidden)]
#[macro_export]
macro_rules! de_member {
    ($v:ident, $p:ident) => {
        $crate::json::read($v, $p)
    };
    ($v:ident, $p:ident, $read:expr) => {
        ($read)($v, $p)
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
            fn from_str(s: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok($name::from(s))
            }
        }
        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $value,)*
                    $name::Unknown(value) => value.as_str(),
                }
            }
            /// Every value this version of the crate knows.
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
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[derive(Default)]
    struct Shape {
        name: Option<String>,
        id: String,
        tags: Option<Vec<String>>,
        items: Vec<u8>,
        count: Option<i32>,
        size: i64,
        next: Option<Box<Shape>>,
        label: Option<char>,
        table: Option<HashMap<String, i32>>,
        sparse: HashMap<String, Option<i32>>,
        owner: Box<Owner>,
    }

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Owner(u8);

    impl Shape {
        crate::getter!(str_opt name, "name");
        crate::getter!(str id, "id");
        crate::getter!(slice_opt tags, String, "tags");
        crate::getter!(slice items, u8, "items");
        crate::getter!(copy_opt count, i32, "count");
        crate::getter!(copy size, i64, "size");
        crate::getter!(deref_opt next, Shape, "next");
        crate::getter!(ref_opt label, char, "label");
        crate::getter!(map_opt table, String => i32, "table");
        crate::getter!(map sparse, String => Option<i32>, "sparse");
        crate::getter!(by_ref owner, Owner, "owner");
    }

    #[test]
    fn getters_lend_what_their_kind_says() {
        let empty = Shape::default();
        assert_eq!(empty.name(), None);
        assert!(empty.tags().is_empty());
        assert_eq!(empty.next().map(Shape::id), None);
        let shape = Shape {
            name: Some("n".into()),
            id: "i".into(),
            tags: Some(vec!["t".into()]),
            items: vec![1, 2],
            count: Some(3),
            size: 4,
            next: Some(Box::new(Shape {
                id: "next".into(),
                ..Shape::default()
            })),
            label: Some('l'),
            table: Some(HashMap::from([("k".to_owned(), 5)])),
            sparse: HashMap::from([("s".to_owned(), None)]),
            owner: Box::new(Owner(6)),
        };
        assert_eq!(shape.name(), Some("n"));
        assert_eq!(shape.id(), "i");
        assert_eq!(shape.tags(), ["t"]);
        assert_eq!(shape.items(), [1, 2]);
        assert_eq!(shape.count(), Some(3));
        assert_eq!(shape.size(), 4);
        assert_eq!(shape.next().map(Shape::id), Some("next"));
        assert_eq!(shape.label(), Some(&'l'));
        assert_eq!(shape.table().and_then(|t| t.get("k")), Some(&5));
        assert_eq!(shape.sparse().get("s"), Some(&None));
        assert_eq!(shape.owner(), &Owner(6));
    }

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Builder {
        name: Option<String>,
        next: Option<Box<Owner>>,
        tags: Option<Vec<String>>,
        table: Option<HashMap<String, i32>>,
    }

    impl Builder {
        crate::builder_setters!(value name set_name get_name, String, "Name", "name");
        crate::builder_setters!(boxed next set_next get_next, Owner, "Next", "next");
        crate::builder_setters!(list tags set_tags get_tags, String, "Tags", "tags");
        crate::builder_setters!(map table set_table get_table, String => i32, "Table", "table");
    }

    #[derive(Default)]
    struct Fluent {
        inner: Builder,
    }

    impl Fluent {
        crate::fluent_setters!(value name set_name get_name, String, "Name", "name");
        crate::fluent_setters!(boxed next set_next get_next, Owner, "Next", "next");
        crate::fluent_setters!(list tags set_tags get_tags, String, "Tags", "tags");
        crate::fluent_setters!(map table set_table get_table, String => i32, "Table", "table");
    }

    #[test]
    fn builder_and_fluent_setters_set_append_insert_and_clear() {
        let built = Builder::default()
            .name("a")
            .next(Owner(7))
            .tags("c")
            .tags("d")
            .table("e", 1)
            .table("f", 2);
        let fluent = Fluent::default()
            .name("a")
            .next(Owner(7))
            .tags("c")
            .tags("d")
            .table("e", 1)
            .table("f", 2);
        assert_eq!(fluent.inner, built);
        assert_eq!(built.get_name().as_deref(), Some("a"));
        assert_eq!(built.get_next().as_deref(), Some(&Owner(7)));
        assert_eq!(
            built.get_tags().as_deref(),
            Some(&["c".into(), "d".into()][..])
        );
        assert_eq!(built.get_table().as_ref().map(HashMap::len), Some(2));
        assert_eq!(fluent.get_tags(), built.get_tags());

        let cleared = built
            .set_name(None)
            .set_next(None)
            .set_tags(Some(vec!["x".into()]))
            .set_table(None);
        assert_eq!(
            cleared,
            Builder {
                tags: Some(vec!["x".into()]),
                ..Builder::default()
            }
        );
        let fluent = fluent
            .set_name(None)
            .set_next(None)
            .set_tags(None)
            .set_table(Some(HashMap::new()));
        assert_eq!(fluent.get_name(), &None);
        assert_eq!(fluent.get_next(), &None);
        assert_eq!(fluent.get_tags(), &None);
        assert_eq!(fluent.get_table(), &Some(HashMap::new()));
    }

    #[derive(Debug)]
    struct Throttled;

    impl std::fmt::Display for Throttled {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("slow down")
        }
    }

    impl std::error::Error for Throttled {}

    impl crate::error::ProvideErrorMetadata for Throttled {
        fn meta(&self) -> &crate::error::ErrorMetadata {
            static META: std::sync::OnceLock<crate::error::ErrorMetadata> =
                std::sync::OnceLock::new();
            META.get_or_init(|| {
                crate::error::ErrorMetadata::builder()
                    .code("Throttled")
                    .build()
            })
        }
    }

    impl crate::error::ParseModeledError for Throttled {
        const MODELED: crate::spec::ModeledError =
            crate::spec::ModeledError::client("Throttled").retryable(true);

        fn parse(
            body: &[u8],
            _meta: crate::error::ErrorMetadata,
        ) -> Result<Self, crate::error::DeserializeError> {
            crate::json::parse_body(body).map(|_| Throttled)
        }
    }

    #[derive(Debug)]
    enum OpError {
        Throttled(Throttled),
        Unhandled(crate::error::Unhandled),
    }

    crate::operation_error!(OpError { is_throttled(Throttled) });

    #[derive(Debug)]
    enum NoErrors {
        Unhandled(crate::error::Unhandled),
    }

    crate::operation_error!(NoErrors {});

    #[test]
    fn operation_errors_list_their_modeled_errors() {
        let [throttled] = OpError::MODELED_ERRORS else {
            panic!("one modeled error expected: {:?}", OpError::MODELED_ERRORS);
        };
        assert_eq!(throttled.code, "Throttled");
        assert_eq!(throttled.fault, crate::spec::Fault::Client);
        assert!(throttled.retryable && throttled.throttling);
        assert!(NoErrors::MODELED_ERRORS.is_empty());
        assert!(matches!(
            NoErrors::unhandled("boom"),
            NoErrors::Unhandled(_)
        ));
    }

    #[test]
    fn operation_errors_are_read_by_code() {
        let response = |body: &str| crate::http::HttpResponse::new(400, Vec::new(), body.into());
        let meta = |code: &str| crate::error::ErrorMetadata::builder().code(code).build();

        let err = OpError::from_response(&response("{}"), meta("Throttled"));
        assert!(err.is_throttled(), "{err:?}");

        // The right code with a body that is not that error's JSON.
        let err = OpError::from_response(&response("not json"), meta("Throttled"));
        let OpError::Unhandled(unhandled) = &err else {
            panic!("unhandled expected: {err:?}");
        };
        assert_eq!(unhandled.meta().code(), Some("Throttled"));
        assert!(std::error::Error::source(&err).is_some());

        let err = OpError::from_response(&response("{}"), meta("Other"));
        assert!(matches!(&err, OpError::Unhandled(_)), "{err:?}");
        assert_eq!(err.meta().code(), Some("Other"));

        let err = NoErrors::from_response(&response("{}"), meta("Throttled"));
        assert_eq!(err.meta().code(), Some("Throttled"));
    }

    #[test]
    fn operation_errors_dispatch_to_their_variant() {
        use crate::error::ProvideErrorMetadata;
        let throttled = OpError::Throttled(Throttled);
        assert!(throttled.is_throttled());
        assert_eq!(throttled.to_string(), "slow down");
        assert_eq!(
            ProvideErrorMetadata::meta(&throttled).code(),
            Some("Throttled")
        );
        assert!(std::error::Error::source(&throttled).is_some());

        let meta = crate::error::ErrorMetadata::builder().code("Other").build();
        let generic = OpError::generic(meta);
        assert!(!generic.is_throttled());
        assert_eq!(generic.meta().code(), Some("Other"));
        let unhandled = OpError::unhandled("boom");
        assert!(matches!(unhandled, OpError::Unhandled(_)));
        assert_eq!(unhandled.meta().code(), None);
    }

    #[derive(Debug, PartialEq)]
    enum Mode {
        On,
        Err,
        Unknown(crate::primitives::UnknownVariantValue),
    }

    crate::string_enum!(Mode { On("ON"), Err("ERR") });

    #[test]
    fn string_enums_round_trip_and_keep_unknown_values() {
        assert_eq!(Mode::from("ON"), Mode::On);
        assert_eq!("ERR".parse::<Mode>(), Ok(Mode::Err));
        assert_eq!(Mode::Err.as_str(), "ERR");
        assert_eq!(Mode::values(), ["ON", "ERR"]);
        let later = Mode::from("LATER");
        assert!(matches!(later, Mode::Unknown(_)));
        assert_eq!(later.to_string(), "LATER");
        assert_eq!(later.as_ref(), "LATER");
    }

    #[derive(Debug, Default, PartialEq)]
    struct ReadBuilder {
        message: Option<String>,
        count: Option<i32>,
        tags: Option<Vec<String>>,
    }

    crate::de_builder!(ReadBuilder {
        "message" | "Message" => message,
        "Count" => count with |v, p| crate::json::read::<i32>(v, p).map(|n| n.map(|n| n * 10)),
        "Tags" => tags,
    });

    mod empty {
        #[derive(Debug, Default, PartialEq)]
        pub(super) struct EmptyBuilder {}
        crate::de_builder!(EmptyBuilder {});

        #[test]
        fn an_empty_builder_reads_any_object() {
            let value = serde_json::json!({"Anything": 1});
            assert_eq!(de_builder(&value, "").unwrap(), Some(EmptyBuilder {}));
            assert_eq!(de_builder(&serde_json::Value::Null, "").unwrap(), None);
            assert!(de_builder(&serde_json::json!("no"), "").is_err());
        }
    }

    #[test]
    fn de_builder_reads_listed_keys_and_skips_the_rest() {
        let value = serde_json::json!({
            "Message": "hi", "Count": 3, "Tags": ["a", "b"], "Unknown": {"x": 1}
        });
        assert_eq!(
            de_builder(&value, "").unwrap(),
            Some(ReadBuilder {
                message: Some("hi".into()),
                // Read with the reader given.
                count: Some(30),
                tags: Some(vec!["a".into(), "b".into()]),
            })
        );
        let lower = serde_json::json!({"message": "lo"});
        assert_eq!(
            de_builder(&lower, "").unwrap().unwrap().message.as_deref(),
            Some("lo")
        );
        assert_eq!(de_builder(&serde_json::Value::Null, "").unwrap(), None);
        let wrong = serde_json::json!({"Count": "three"});
        let e = de_builder(&wrong, "").unwrap_err().to_string();
        assert!(e.contains("Count"), "{e}");
        assert!(de_builder(&serde_json::json!([1]), "out").is_err());
    }

    /// One error structure per form of `modeled_error!`'s message, each in
    /// its own module as generated errors are (the macro calls the module's
    /// `de_builder` and `finish`).
    mod modeled {
        // Each error gets every method; the tests call them on one or two.
        #![allow(dead_code)]

        use crate::error::{ErrorMetadata, ParseModeledError, ProvideErrorMetadata};
        use crate::spec::{Fault, ModeledError};

        fn meta(code: &str) -> ErrorMetadata {
            ErrorMetadata::builder()
                .code(code)
                .message("from meta")
                .build()
        }

        /// An error with an optional message, and its builder, as generated
        /// code declares them.
        macro_rules! optional_message_error {
            ($name:ident, $builder:ident) => {
                #[derive(Debug, Default, PartialEq)]
                pub(super) struct $name {
                    pub(super) message: Option<String>,
                    pub(super) meta: crate::error::ErrorMetadata,
                }
                #[derive(Debug, Default, PartialEq)]
                pub(super) struct $builder {
                    pub(super) message: Option<String>,
                    pub(super) meta: Option<crate::error::ErrorMetadata>,
                }
                impl $builder {
                    pub(super) fn build(self) -> $name {
                        $name {
                            message: self.message,
                            meta: self.meta.unwrap_or_default(),
                        }
                    }
                }
            };
        }

        mod optional {
            optional_message_error!(Denied, DeniedBuilder);
            crate::de_builder!(DeniedBuilder { "message" | "Message" => message });
            crate::modeled_error!(Denied, DeniedBuilder, client "Denied", message(opt message), build);
            crate::read_json!(Denied, DeniedBuilder, build);
        }

        mod required {
            #[derive(Debug, Default, PartialEq)]
            pub(super) struct Failed {
                pub(super) message: String,
                pub(super) meta: crate::error::ErrorMetadata,
            }
            #[derive(Debug, Default, PartialEq)]
            pub(super) struct FailedBuilder {
                pub(super) message: Option<String>,
                pub(super) meta: Option<crate::error::ErrorMetadata>,
            }
            impl FailedBuilder {
                fn build(self) -> Failed {
                    Failed {
                        message: self.message.unwrap_or_default(),
                        meta: self.meta.unwrap_or_default(),
                    }
                }
            }
            // Fills the required message, as generated `finish` functions do.
            fn finish(
                mut builder: FailedBuilder,
                _path: &str,
            ) -> Result<Failed, crate::error::DeserializeError> {
                builder.message.get_or_insert_with(|| "filled".to_owned());
                Ok(builder.build())
            }
            crate::de_builder!(FailedBuilder { "message" => message });
            crate::read_json!(Failed, FailedBuilder, finish);
            crate::modeled_error!(
                Failed, FailedBuilder, server "Failed" retryable(true), message(field message), finish
            );
        }

        mod redacted {
            optional_message_error!(Secret, SecretBuilder);
            crate::de_builder!(SecretBuilder { "message" => message });
            crate::modeled_error!(Secret, SecretBuilder, client "Secret", message(redacted), build);
        }

        mod bare {
            #[derive(Debug, Default, PartialEq)]
            pub(super) struct Bare {
                pub(super) meta: crate::error::ErrorMetadata,
            }
            #[derive(Debug, Default, PartialEq)]
            pub(super) struct BareBuilder {
                pub(super) meta: Option<crate::error::ErrorMetadata>,
            }
            impl BareBuilder {
                fn build(self) -> Bare {
                    Bare {
                        meta: self.meta.unwrap_or_default(),
                    }
                }
            }
            crate::de_builder!(BareBuilder {});
            crate::modeled_error!(Bare, BareBuilder, server "Bare" retryable(false), message(meta), build);
        }

        #[test]
        fn the_model_traits_become_modeled() {
            let expect = |m: ModeledError, code, fault, retryable, throttling| {
                assert_eq!(
                    (m.code, m.fault, m.retryable, m.throttling),
                    (code, fault, retryable, throttling)
                );
            };
            expect(
                optional::Denied::MODELED,
                "Denied",
                Fault::Client,
                false,
                false,
            );
            expect(
                required::Failed::MODELED,
                "Failed",
                Fault::Server,
                true,
                true,
            );
            expect(
                redacted::Secret::MODELED,
                "Secret",
                Fault::Client,
                false,
                false,
            );
            expect(bare::Bare::MODELED, "Bare", Fault::Server, true, false);
        }

        #[test]
        fn parsing_reads_the_body_and_keeps_the_metadata() {
            let denied = optional::Denied::parse(br#"{"Message": "no"}"#, meta("Denied")).unwrap();
            assert_eq!(denied.message.as_deref(), Some("no"));
            assert_eq!(denied.meta().code(), Some("Denied"));
            assert_eq!(ProvideErrorMetadata::meta(&denied).code(), Some("Denied"));
            assert!(optional::Denied::parse(b"not json", meta("Denied")).is_err());
            assert!(optional::Denied::parse(br#"{"message": 1}"#, meta("Denied")).is_err());

            // Through `finish`, which fills the missing required member.
            let failed = required::Failed::parse(b"{}", meta("Failed")).unwrap();
            assert_eq!(failed.message, "filled");
            assert_eq!(failed.meta().code(), Some("Failed"));
        }

        #[test]
        fn display_shows_the_message_each_form_names() {
            let denied = optional::Denied::parse(br#"{"message": "no"}"#, meta("Denied")).unwrap();
            assert_eq!(denied.to_string(), "Denied: no");
            let silent = optional::Denied::parse(b"{}", meta("Denied")).unwrap();
            assert_eq!(silent.to_string(), "Denied");

            let failed =
                required::Failed::parse(br#"{"message": "down"}"#, meta("Failed")).unwrap();
            assert_eq!(failed.to_string(), "Failed: down");

            let secret = redacted::Secret::parse(br#"{"message": "pw"}"#, meta("Secret")).unwrap();
            assert_eq!(
                secret.to_string(),
                "Secret: *** Sensitive Data Redacted ***"
            );

            let bare = bare::Bare::parse(b"{}", meta("Bare")).unwrap();
            assert_eq!(bare.to_string(), "Bare: from meta");
            let bare = bare::Bare::parse(b"{}", ErrorMetadata::default()).unwrap();
            assert_eq!(bare.to_string(), "Bare");
            let error: &dyn std::error::Error = &bare;
            assert!(error.source().is_none());
        }

        #[test]
        fn read_json_builds_or_finishes_what_de_builder_read() {
            use crate::json::ReadJson;
            let denied = optional::Denied::read_json(&serde_json::json!({"message": "m"}), "e")
                .unwrap()
                .unwrap();
            assert_eq!(denied.message.as_deref(), Some("m"));
            assert_eq!(
                optional::Denied::read_json(&serde_json::Value::Null, "e").unwrap(),
                None
            );
            let wrong = optional::Denied::read_json(&serde_json::json!({"message": 1}), "e");
            assert!(wrong.unwrap_err().to_string().contains("message"));

            // Through `finish`, which fills the missing required member.
            let failed = required::Failed::read_json(&serde_json::json!({}), "e")
                .unwrap()
                .unwrap();
            assert_eq!(failed.message, "filled");
        }

        #[test]
        fn builders_set_and_clear_the_metadata() {
            let built = optional::DeniedBuilder::default()
                .meta(meta("Denied"))
                .build();
            assert_eq!(built.meta().code(), Some("Denied"));
            let mut builder = optional::DeniedBuilder::default().meta(meta("Denied"));
            builder.set_meta(None);
            assert_eq!(builder.meta, None);
        }
    }
}
