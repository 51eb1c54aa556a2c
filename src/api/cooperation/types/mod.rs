//! GraphQL types of cooperation and assistance, one file per part: `needs`, `offers`,
//! `matches` (scored pairs and the allocation), `proposals`, and `inputs` (exchange rates,
//! filters, inputs and payloads). Each object reads its nested needs, offers and proposals
//! through the request's loaders, which apply the domain's visibility rule
//! (`domain::cooperation::visibility`): a nested field never shows what `node(id:)` would
//! refuse the same viewer.

mod inputs;
mod matches;
mod needs;
mod offers;
mod proposals;

pub use inputs::*;
pub use matches::*;
pub use needs::*;
pub use offers::*;
pub use proposals::*;
