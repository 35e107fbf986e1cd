//! A trace's service pills: one per service with its span count and errors, coloured as the
//! timeline colours the service. Shared by the trace list and the search results.

use leptos::prelude::*;

use crate::core::layout::color::service_color_index;

/// The pills, most spans first.
#[component]
pub fn ServicePills(
    /// (service, spans, errors), in display order.
    services: Vec<(String, u32, u32)>,
) -> impl IntoView {
    let pills = services
        .into_iter()
        .map(|(service, spans, errors)| {
            let color = format!("service-pill service-{}", service_color_index(&service));
            let errors = (errors > 0).then(|| format!(", {errors} errors"));
            view! { <li class=color>{format!("{service} {spans}")}{errors}</li> }
        })
        .collect_view();
    view! { <ul class="service-pills" aria-label="Services">{pills}</ul> }
}
