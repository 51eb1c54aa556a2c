//! The treaty's vocabulary that pure rules and stored rows share: a State's standing, its
//! regional and income groups, the thematic areas and kinds of assistance, where a
//! meeting's decision stands. The enums are
//! defined once, with the tables (`entity::enums`, where they also know how they are
//! stored); the rules take them from here, so that no rule names the storage layer and a
//! future split of the vocabulary from its storage changes this file only.

pub use entity::enums::{
    AssistanceType, ImplementationStatus, IncomeGroup, IndicatorComputation, IndicatorUnit,
    Language, RegionalGroup, StateStatus, ThematicArea,
};
