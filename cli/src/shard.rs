//! `--shard K/N`: shard K (from 1) of N of an organization's projects, so that N instances of
//! `tail --all-projects` follow one organization between them (the crate's [`Shard`], which
//! counts from 0: a stable split by project id, rendezvous hashing, the organization's own
//! events in the first shard).

use std::fmt;
use std::str::FromStr;

use mongodb_atlas_events::Shard;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Shard `number` (from 1) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardArg {
    number: u32,
    count: u32,
}

impl ShardArg {
    /// The whole organization: what `--all-projects` without `--shard` follows.
    pub const WHOLE: ShardArg = ShardArg {
        number: 1,
        count: 1,
    };

    /// K, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// N.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The crate's shard (from 0).
    pub fn shard(&self) -> Shard {
        Shard::new(self.number - 1, self.count).expect("1 <= K <= N holds by construction")
    }
}

impl FromStr for ShardArg {
    type Err = String;

    fn from_str(text: &str) -> Result<ShardArg, String> {
        let bad = || {
            format!(
                "`{text}` is not a shard: give K/N, shard K of N with 1 <= K <= N (1/3, 2/3, 3/3)"
            )
        };
        let (number, count) = text.trim().split_once('/').ok_or_else(bad)?;
        let number: u32 = number.parse().map_err(|_| bad())?;
        let count: u32 = count.parse().map_err(|_| bad())?;
        if number == 0 || number > count {
            return Err(bad());
        }
        Ok(ShardArg { number, count })
    }
}

impl fmt::Display for ShardArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.number, self.count)
    }
}

/// As `"K/N"` in the checkpoint file.
impl Serialize for ShardArg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ShardArg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ShardArg, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_of_n_from_1_is_the_crates_shard_from_0() {
        let shard: ShardArg = "2/3".parse().unwrap();
        assert_eq!((shard.number(), shard.count()), (2, 3));
        assert_eq!(shard.to_string(), "2/3");
        assert_eq!(shard.shard(), Shard::new(1, 3).unwrap());
        assert_eq!(" 1/1 ".parse::<ShardArg>(), Ok(ShardArg::WHOLE));
        assert_eq!(
            serde_json::to_string(&shard).unwrap(),
            r#""2/3""#,
            "as text in the checkpoint file"
        );
        assert_eq!(serde_json::from_str::<ShardArg>(r#""2/3""#).unwrap(), shard);
        assert!(serde_json::from_str::<ShardArg>(r#""0/3""#).is_err());
    }

    #[test]
    fn anything_but_1_to_n_of_n_is_refused() {
        for bad in [
            "0/2", "3/2", "1/0", "0/0", "2", "a/b", "1/2/3", "-1/2", "", "/", "1/",
        ] {
            let error = bad.parse::<ShardArg>().unwrap_err();
            assert!(error.contains("give K/N"), "{bad}: {error}");
        }
    }
}
