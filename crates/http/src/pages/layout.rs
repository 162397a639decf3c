//! The values every page's layout shows (`templates/base.html`, which every page
//! template extends): the instance's name, the page's language, and for a signed-in
//! person the navigation of the web app with the form that signs them out.

use crate::AppState;
use crate::assets::{SCRIPT, STYLESHEET};

/// The language of a page that says no other.
pub const DEFAULT_LANG: &str = "en";

/// The parts of the web app the navigation names, so that a page can say which one
/// it is (`aria-current`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Other,
    Home,
    Local,
    Federated,
    Notifications,
    Search,
    Settings,
    Profile,
    Compose,
    Groups,
    Lists,
    Directory,
    Challenges,
    Events,
    Admin,
}

/// Who is signed in, as the navigation shows them.
#[derive(Debug, Clone, Copy)]
pub struct Nav<'a> {
    /// Their name as shown.
    pub name: &'a str,
    /// Their profile page.
    pub username: &'a str,
    /// The CSRF token of the sign-out form.
    pub csrf: &'a str,
    /// Whether they are of the instance's staff (the navigation links the admin
    /// pages; what they may do there is the domain's to say).
    pub staff: bool,
}

/// What `templates/base.html` shows around every page. Each page's template struct
/// has one, as its `layout` field.
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    /// The instance's name, in the title and the header.
    pub site: &'a str,
    /// The page's language, as `<html lang>` gives it.
    pub lang: &'a str,
    /// The signed-in person, when there is one.
    pub nav: Option<Nav<'a>>,
    /// Which part of the app the page belongs to.
    pub section: Section,
    /// Whether the instance takes sign-ups (else no page links to the form).
    pub sign_up: bool,
    pub stylesheet: &'static str,
    pub script: &'static str,
}

impl<'a> Layout<'a> {
    /// The layout of a page of `state`'s instance, in the default language, for a
    /// visitor the page does not know.
    pub fn new(state: &'a AppState) -> Self {
        Self {
            site: &state.settings().title,
            lang: DEFAULT_LANG,
            nav: None,
            section: Section::Other,
            sign_up: state.settings().registrations.accepts_sign_ups(),
            stylesheet: STYLESHEET,
            script: SCRIPT,
        }
    }

    /// The same layout for a page of `section`, with `nav` for the person signed in.
    pub fn with_nav(self, nav: Option<Nav<'a>>, section: Section) -> Self {
        Self {
            nav,
            section,
            ..self
        }
    }

    /// Whether the page belongs to `section` (its navigation link is the current one).
    pub fn is(&self, section: Section) -> bool {
        self.section == section
    }
}
