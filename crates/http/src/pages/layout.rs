//! The values every page's layout shows (`templates/base.html`, which every page
//! template extends): the instance's name and the page's language.

use crate::AppState;

/// The language of a page that says no other.
pub const DEFAULT_LANG: &str = "en";

/// What `templates/base.html` shows around every page. Each page's template struct
/// has one, as its `layout` field.
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    /// The instance's name, in the title and the header.
    pub site: &'a str,
    /// The page's language, as `<html lang>` gives it.
    pub lang: &'a str,
}

impl<'a> Layout<'a> {
    /// The layout of a page of `state`'s instance, in the default language.
    pub fn new(state: &'a AppState) -> Self {
        Self {
            site: &state.settings().title,
            lang: DEFAULT_LANG,
        }
    }
}
