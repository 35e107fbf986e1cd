//! The pages whose code the site fetches only when one of them is first shown (ADR 0019): the
//! loaded traces (their list and the trace page), the Jaeger search and the service graph. The
//! site's build (`--features split`) makes each function here a split point, where
//! `wasm-split-cli` cuts the page's WebAssembly into the module the page starts with and modules
//! fetched on demand; every other build (tests, `cargo check`) has the same functions, built in.

use std::future::Future;

use leptos::prelude::*;

use crate::ui::app::LoadedTraces;
use crate::ui::dependencies::DependenciesPage;
use crate::ui::jaeger::SearchPage;

/// Why a page's code could not be fetched.
#[derive(Debug)]
pub struct NotFetched(String);

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for NotFetched {
    fn from(error: leptos::wasm_split::SplitLoaderError) -> Self {
        NotFetched(error.to_string())
    }
}

/// Each page's view, behind a function that fetches its code first in the split build; and a
/// function that only fetches it.
macro_rules! on_demand {
    ($($(#[$doc:meta])* $name:ident, $fetch:ident => $component:ident;)*) => {
        /// The split points (what the macro makes of them is public and undocumented).
        #[cfg(feature = "split")]
        #[allow(missing_docs)]
        mod split_points {
            use super::*;
            $(
                $(#[$doc])*
                #[::leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible, preload($fetch))]
                pub fn $name() -> Result<AnyView, NotFetched> {
                    Ok(view! { <$component/> }.into_any())
                }
            )*
        }
        #[cfg(feature = "split")]
        #[allow(unused_imports)]
        pub use split_points::{$($name, $fetch),*};
        $(
            $(#[$doc])*
            #[cfg(not(feature = "split"))]
            pub async fn $name() -> Result<AnyView, NotFetched> {
                Ok(view! { <$component/> }.into_any())
            }
            /// Fetches the page's code without showing it (nothing to do when it is built in).
            #[cfg(not(feature = "split"))]
            #[allow(dead_code)]
            async fn $fetch() -> Result<(), NotFetched> {
                Ok(())
            }
        )*
    };
}

on_demand! {
    /// The loaded traces: their list and the open trace.
    loaded_traces, fetch_loaded_traces => LoadedTraces;
    /// The Jaeger search page.
    search, fetch_search => SearchPage;
    /// The service graph page.
    dependencies, fetch_dependencies => DependenciesPage;
}

/// Shows a page once its code is there (at once when it is: a page fetched before shows without
/// a pause), "Loading…" in its place until then, or says why its code could not be fetched.
pub fn shown(page: impl Future<Output = Result<AnyView, NotFetched>> + Send + 'static) -> AnyView {
    let page = Suspend::new(async move {
        match page.await {
            Ok(view) => view,
            Err(NotFetched(why)) => view! {
                <p class="alert" role="alert">
                    {format!("This part of Traceglass could not be fetched ({why}): check the connection and try again.")}
                </p>
            }
            .into_any(),
        }
    });
    view! { <Suspense fallback=|| view! { <p class="page-fetching">"Loading…"</p> }>{page}</Suspense> }.into_any()
}

/// Fetches the trace page's code while the page is idle, so that the first trace opened does
/// not wait for it (a failure here is only tried again when a trace opens, and said then), and
/// then has it run once out of sight (`ui::warm_up`).
pub fn fetch_trace_page_soon() {
    leptos::task::spawn_local(async {
        if fetch_loaded_traces().await.is_ok() {
            crate::ui::warm_up::draw_trace_page_once().await;
        }
    });
}
