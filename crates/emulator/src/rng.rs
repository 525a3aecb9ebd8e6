//! A tiny seeded PRNG (splitmix64). The demo account and its traffic must be identical for
//! the same seed on every start, on every platform, so we own the generator instead of
//! depending on `rand`'s algorithm choices.

use crate::state::ObjectId;

/// Serializable so that `--state` resumes the stream where it stopped.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Rng(u64);

/// FNV-1a (64-bit) over `bytes`: the same on every platform and Rust version, unlike
/// `DefaultHasher`, for what is derived from ids or saved and must not move between builds.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream named by `label`: draws added to one stream later never shift
    /// the values of another (e.g. more traffic does not change the demo tokens).
    pub fn fork(&self, label: &str) -> Rng {
        // The label's hash, mixed with the parent state.
        let mut child = Rng(self.0 ^ fnv1a(label.bytes()));
        child.next_u64();
        child
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n == 0`), without modulo bias worth caring about.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a static, non-empty table.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        debug_assert!(!items.is_empty());
        &items[self.below(items.len() as u64) as usize]
    }

    /// One item of a static, non-empty table of `(item, weight)`.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total.max(1));
        for (item, w) in items {
            if roll < u64::from(*w) {
                return item;
            }
            roll -= u64::from(*w);
        }
        &items[items.len() - 1].0
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(alphabet[self.below(alphabet.len() as u64) as usize])).collect()
    }

    /// A 24-hex-digit ObjectId (96 random bits).
    pub fn object_id(&mut self) -> String {
        self.event_id().to_string()
    }

    /// An [`Rng::object_id`] as its 12 bytes: what each of up to millions of events carries.
    pub fn event_id(&mut self) -> ObjectId {
        let (a, b) = (self.next_u64(), self.next_u64());
        let mut bytes = [0u8; 12];
        let (high, low) = bytes.split_at_mut(8);
        high.copy_from_slice(&a.to_be_bytes());
        low.copy_from_slice(&((b >> 32) as u32).to_be_bytes());
        ObjectId::from_bytes(bytes)
    }

    /// Random-looking letters and digits, for secrets and tracking ids.
    pub fn alnum(&mut self, n: usize) -> String {
        self.chars(ALNUM, n)
    }

    /// A UUID shaped like v4 (version nibble 4, RFC 4122 variant), as visitor ids are.
    pub fn uuid_v4(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let hi = (hi & !0xf000) | 0x4000;
        let lo = (lo & !(0xc000 << 48)) | (0x8000 << 48);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xffff,
            hi & 0xffff,
            lo >> 48,
            lo & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_forks_are_independent() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        assert_eq!(a.object_id(), b.object_id());
        assert_ne!(Rng::new(42).fork("x").next_u64(), Rng::new(42).fork("y").next_u64());
        assert_eq!(Rng::new(7).fork("x").next_u64(), Rng::new(7).fork("x").next_u64());
    }

    #[test]
    fn shapes() {
        let mut r = Rng::new(1);
        for _ in 0..100 {
            let id = r.uuid_v4();
            assert!(datafast_contract::rules::is_uuid(&id), "{id}");
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
            assert!(datafast_contract::rules::is_object_id(&r.object_id()));
            let n = r.range(5, 9);
            assert!((5..9).contains(&n));
        }
        assert_eq!(r.alnum(32).len(), 32);
    }
}
