//! Long lists of trace content shown a part at a time: a span's attributes and events, a
//! trace's import warnings. A file may give one span fifty thousand attributes or a trace
//! thirty thousand warnings; built at once, such a list held the page for over a second. The
//! first [`FIRST_ITEMS`] are shown, and a "Show more" button adds [`MORE_ITEMS`] at a time
//! (each press one task of the browser's, the items already shown left as they are).

use leptos::prelude::*;

use crate::core::format::{count_noun, format_count};

/// Items a list shows before its "Show more" button.
pub const FIRST_ITEMS: usize = 100;
/// Items each press of "Show more" adds.
pub const MORE_ITEMS: usize = 500;

/// How much of a list of `count` items is shown; `items` and `button` are its two views (the
/// button goes after the list's container: a `ul` or `tbody` holds items only).
#[derive(Clone, Copy)]
pub struct ShownPart {
    count: usize,
    /// Blocks shown: the first [`FIRST_ITEMS`], then [`MORE_ITEMS`] per block.
    blocks: RwSignal<usize>,
}

impl ShownPart {
    /// The first part of a list of `count` items.
    pub fn new(count: usize) -> Self {
        ShownPart { count, blocks: RwSignal::new(1) }
    }

    /// The items of block `block`.
    fn block(self, block: usize) -> std::ops::Range<usize> {
        let start = if block == 0 { 0 } else { FIRST_ITEMS + (block - 1) * MORE_ITEMS };
        let end = if block == 0 { FIRST_ITEMS } else { start + MORE_ITEMS };
        start.min(self.count)..end.min(self.count)
    }

    /// How many items are shown.
    fn shown(self) -> usize {
        self.block(self.blocks.get()).start
    }

    /// The items shown, each built by `item` from its index; a block once built stays.
    pub fn items<V: IntoView + 'static>(
        self,
        item: impl Fn(usize) -> V + Clone + Send + Sync + 'static,
    ) -> impl IntoView {
        view! {
            <For each=move || 0..self.blocks.get() key=|block| *block let:block>
                {self.block(block).map(item.clone()).collect_view()}
            </For>
        }
    }

    /// "Show N more …" while items are not shown (`singular` and `plural` name them).
    pub fn button(self, singular: &'static str, plural: &'static str) -> impl IntoView {
        move || {
            let rest = self.count - self.shown();
            (rest > 0).then(|| {
                let label = more_label(rest.min(MORE_ITEMS), rest, (singular, plural));
                view! {
                    <button type="button" class="link-button show-more" on:click=move |_| self.blocks.update(|blocks| *blocks += 1)>
                        {label}
                    </button>
                }
            })
        }
    }
}

/// The label of a "Show more" button: `next` items a press adds, of `rest` not shown, named by
/// `noun` (singular, plural). Also the trace lists' (`ui::summary_list`).
pub fn more_label(next: usize, rest: usize, (singular, plural): (&str, &str)) -> String {
    format!("Show {} more ({} not shown)", format_count(next), count_noun(rest, singular, plural))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_the_first_items_then_the_more_items_each() {
        let owner = Owner::new();
        owner.with(|| {
            let part = ShownPart::new(1_234);
            assert_eq!(part.block(0), 0..100);
            assert_eq!(part.block(1), 100..600);
            assert_eq!(part.block(2), 600..1_100);
            assert_eq!(part.block(3), 1_100..1_234);
            assert_eq!(part.block(4), 1_234..1_234);
            assert_eq!(part.shown(), 100);
            part.blocks.set(3);
            assert_eq!(part.shown(), 1_100);
            let short = ShownPart::new(7);
            assert_eq!(short.block(0), 0..7);
            assert_eq!(short.shown(), 7);
            assert_eq!(more_label(500, 1_134, ("warning", "warnings")), "Show 500 more (1,134 warnings not shown)");
        });
    }
}
