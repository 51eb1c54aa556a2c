//! How many mutations a signed-in user may make: the settings behind `crate::api::writes`
//! (README, Security: "Writes").

use super::ConfigError;

#[derive(Clone, Debug, clap::Args)]
pub struct WriteSettings {
    /// Mutations a delegation or a coordinator may make per minute (each top-level mutation
    /// field counts one; bursts up to this many, then this many per minute).
    #[arg(
        long,
        env = "ISU_WRITES_PER_MINUTE",
        default_value_t = 60,
        global = true
    )]
    pub writes_per_minute: u32,

    /// Mutations ISU staff and administrators may make per minute.
    #[arg(
        long,
        env = "ISU_STAFF_WRITES_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub staff_writes_per_minute: u32,
}

impl Default for WriteSettings {
    fn default() -> Self {
        Self {
            writes_per_minute: 60,
            staff_writes_per_minute: 600,
        }
    }
}

/// [`WriteSettings`], checked: mutations per minute for each kind of user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteLimits {
    /// Delegations and coordinators.
    pub per_minute: u32,
    /// ISU_STAFF and ISU_ADMIN.
    pub staff_per_minute: u32,
}

impl WriteSettings {
    /// Both limits at least 1.
    pub fn limits(&self) -> Result<WriteLimits, ConfigError> {
        if self.writes_per_minute == 0 || self.staff_writes_per_minute == 0 {
            return Err(ConfigError::WriteLimits);
        }
        Ok(WriteLimits {
            per_minute: self.writes_per_minute,
            staff_per_minute: self.staff_writes_per_minute,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_limits_are_at_least_one() {
        let mut s = WriteSettings::default();
        assert_eq!(
            s.limits().expect("defaults are valid"),
            WriteLimits {
                per_minute: 60,
                staff_per_minute: 600
            }
        );
        s.staff_writes_per_minute = 0;
        assert!(matches!(s.limits(), Err(ConfigError::WriteLimits)));
    }
}
