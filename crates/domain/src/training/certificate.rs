//! Certificate verification codes: what a certificate prints and what the
//! public verification page is opened with.
//!
//! A code is 15 random characters and one check character, written in four
//! groups of four: `K7WX-3MPA-9HCT-F2RC` (an example, not a certificate's code). The
//! alphabet has 23 characters. It leaves out 0, O, Q, D, 1, I and L, which
//! are easy to mistake for one another, and B, G, S, U, Y and Z, which are
//! easy to read as 8, 6, 5, V, V and 2. 15 random characters carry about 67 bits,
//! so codes cannot be guessed by trying.
//!
//! The check character makes the weighted sum of all 16 values, with
//! weights 1 to 16, a multiple of 23. As 23 is prime and the weights are
//! distinct and below 23, every single mistyped character and every swap of
//! two characters is detected.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The characters of a code, in value order.
pub const ALPHABET: &[u8; 23] = b"23456789ACEFHJKMNPRTVWX";
/// Random characters in a code.
pub const RANDOM_CHARS: usize = 15;
/// Characters in a code, check character included.
pub const CODE_CHARS: usize = RANDOM_CHARS + 1;
/// Random bytes the caller should supply. Bytes are turned into characters
/// without bias by dropping the three values (253 to 255) that would favour
/// some characters, so a few more bytes than characters are needed. With 32
/// bytes the chance of running short is below 10⁻²⁶.
pub const RANDOM_BYTES: usize = 32;

const RADIX: u32 = ALPHABET.len() as u32;
/// Bytes from this value up are dropped: 253 = 11 × 23 is the largest
/// multiple of 23 not above 256, so accepted bytes map evenly onto the
/// alphabet.
const BYTE_LIMIT: u8 = (256 / RADIX * RADIX) as u8;

/// A certificate verification code with a valid check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VerificationCode([u8; CODE_CHARS]);

/// Rejection of generating or parsing a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerificationCodeError {
    /// Generating needs more random bytes; call again with more.
    #[error("not enough random bytes to make a verification code")]
    NotEnoughRandomness,
    #[error("a verification code has {CODE_CHARS} characters, this one has {found}")]
    Length { found: usize },
    /// `position` counts characters of the code from 1, leaving out spaces
    /// and hyphens.
    #[error("the character `{character}` at position {position} is not used in verification codes")]
    Character { position: usize, character: char },
    /// Every character is allowed but the check character does not match:
    /// the code was mistyped.
    #[error("the verification code is mistyped")]
    Check,
}

impl VerificationCode {
    /// Makes a new code from random bytes, which should come from the
    /// operating system's secure random source; [`RANDOM_BYTES`] of them
    /// are enough in practice.
    ///
    /// # Errors
    ///
    /// [`VerificationCodeError::NotEnoughRandomness`] when the bytes run out
    /// before 15 characters are made.
    pub fn generate(random: &[u8]) -> Result<VerificationCode, VerificationCodeError> {
        let mut values = [0u8; CODE_CHARS];
        let mut filled = 0;
        for &byte in random {
            if filled == RANDOM_CHARS {
                break;
            }
            if byte < BYTE_LIMIT {
                values[filled] = byte % RADIX as u8;
                filled += 1;
            }
        }
        if filled < RANDOM_CHARS {
            return Err(VerificationCodeError::NotEnoughRandomness);
        }
        values[RANDOM_CHARS] = check_value(&values[..RANDOM_CHARS]);
        Ok(VerificationCode(
            values.map(|value| ALPHABET[usize::from(value)]),
        ))
    }

    /// Parses a code as a person typed or a QR code carried it. Lower case
    /// is accepted, spaces and hyphens anywhere are ignored, and the letters
    /// B, G, S, U, Y and Z are read as the characters they look like (8, 6,
    /// 5, V, V and 2).
    ///
    /// # Errors
    ///
    /// [`VerificationCodeError::Length`] when there are not 16 characters;
    /// [`VerificationCodeError::Character`] for the first character outside
    /// the alphabet; [`VerificationCodeError::Check`] when the check
    /// character does not match.
    pub fn parse(text: &str) -> Result<VerificationCode, VerificationCodeError> {
        let characters: Vec<char> = text
            .chars()
            .filter(|character| !character.is_whitespace() && *character != '-')
            .collect();
        if characters.len() != CODE_CHARS {
            return Err(VerificationCodeError::Length {
                found: characters.len(),
            });
        }

        let mut values = [0u8; CODE_CHARS];
        for (index, &character) in characters.iter().enumerate() {
            values[index] = value_of(character).ok_or(VerificationCodeError::Character {
                position: index + 1,
                character,
            })?;
        }
        if check_value(&values[..RANDOM_CHARS]) != values[RANDOM_CHARS] {
            return Err(VerificationCodeError::Check);
        }
        Ok(VerificationCode(
            values.map(|value| ALPHABET[usize::from(value)]),
        ))
    }

    /// Returns the 16 characters without hyphens, the form to store and to
    /// put in the verification address.
    pub fn compact(&self) -> &str {
        // The array holds only ASCII characters of `ALPHABET`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Returns the value of a character, after reading look-alikes and lower
/// case, or `None` for a character outside the alphabet.
fn value_of(character: char) -> Option<u8> {
    let upper = character.to_ascii_uppercase();
    let read = match upper {
        'B' => '8',
        'G' => '6',
        'S' => '5',
        'U' | 'Y' => 'V',
        'Z' => '2',
        other => other,
    };
    if !read.is_ascii() {
        return None;
    }
    ALPHABET
        .iter()
        .position(|&allowed| allowed == read as u8)
        .map(|position| position as u8)
}

/// Returns the check value that makes Σ weight × value a multiple of 23,
/// where the random characters have weights 2 to 16 and the check
/// character has weight 1.
fn check_value(random: &[u8]) -> u8 {
    let sum: u32 = random
        .iter()
        .enumerate()
        .map(|(index, &value)| (index as u32 + 2) * u32::from(value))
        .sum();
    ((RADIX - sum % RADIX) % RADIX) as u8
}

impl fmt::Display for VerificationCode {
    /// Writes the code in four hyphenated groups, the printed form.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, group) in self.compact().as_bytes().chunks(4).enumerate() {
            if index > 0 {
                formatter.write_str("-")?;
            }
            formatter.write_str(std::str::from_utf8(group).unwrap_or_default())?;
        }
        Ok(())
    }
}

impl TryFrom<String> for VerificationCode {
    type Error = VerificationCodeError;

    fn try_from(text: String) -> Result<VerificationCode, VerificationCodeError> {
        VerificationCode::parse(&text)
    }
}

impl From<VerificationCode> for String {
    fn from(code: VerificationCode) -> String {
        code.compact().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(seed: u8) -> VerificationCode {
        let random: Vec<u8> = (0..RANDOM_BYTES as u8)
            .map(|index| index.wrapping_mul(37).wrapping_add(seed))
            .collect();
        VerificationCode::generate(&random).expect("enough bytes")
    }

    #[test]
    fn alphabet_has_no_look_alikes_and_no_repeats() {
        for banned in "0OQD1IL BGSUYZ".chars().filter(|c| !c.is_whitespace()) {
            assert!(!ALPHABET.contains(&(banned as u8)), "{banned}");
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 23);
    }

    #[test]
    fn generated_code_has_the_printed_form() {
        let code = code(1);
        let printed = code.to_string();
        assert_eq!(printed.len(), 19);
        assert_eq!(printed.matches('-').count(), 3);
        assert_eq!(code.compact().len(), 16);
        assert_eq!(VerificationCode::parse(&printed), Ok(code.clone()));
        assert_eq!(VerificationCode::parse(code.compact()), Ok(code));
    }

    #[test]
    fn known_code_and_check_character() {
        // Values 0 to 14 are "23456789ACEFHJK"; Σ (i + 2) × i over them is
        // 1225 = 53 × 23 + 6, so the check value is 23 − 6 = 17, which is P.
        let random: Vec<u8> = (0..15).collect();
        let code = VerificationCode::generate(&random).expect("enough bytes");
        assert_eq!(code.compact(), "23456789ACEFHJKP");
        assert_eq!(code.to_string(), "2345-6789-ACEF-HJKP");
    }

    #[test]
    fn biased_bytes_are_skipped() {
        let mut random = vec![255, 254, 253];
        random.extend(0..15);
        let code = VerificationCode::generate(&random).expect("enough bytes");
        assert_eq!(code.compact(), "23456789ACEFHJKP");
        // 252 is the largest byte kept: 252 % 23 = 22, the character X.
        let mut random = vec![252];
        random.extend(1..15);
        assert!(
            VerificationCode::generate(&random)
                .expect("enough")
                .compact()
                .starts_with("X3")
        );
    }

    #[test]
    fn too_few_bytes_is_an_error() {
        assert_eq!(
            VerificationCode::generate(&[1; 14]),
            Err(VerificationCodeError::NotEnoughRandomness)
        );
        assert_eq!(
            VerificationCode::generate(&[253; 64]),
            Err(VerificationCodeError::NotEnoughRandomness)
        );
    }

    #[test]
    fn typed_variants_parse() {
        let code = VerificationCode::parse("2345-6789-ACEF-HJKP").expect("valid");
        for typed in [
            "2345 6789 acef hjkp",
            " 23456789ACEFHJKP ",
            "z345-6789-ACEF-HJKP",
            "2345-G789-ACEF-HJKP",
        ] {
            assert_eq!(
                VerificationCode::parse(typed),
                Ok(code.clone()),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn bad_codes_are_rejected() {
        assert_eq!(
            VerificationCode::parse("2345-6789-ACEF-HJK"),
            Err(VerificationCodeError::Length { found: 15 })
        );
        assert_eq!(
            VerificationCode::parse("2345-6789-ACEF-HJKP6"),
            Err(VerificationCodeError::Length { found: 17 })
        );
        assert_eq!(
            VerificationCode::parse("2345-0789-ACEF-HJKP"),
            Err(VerificationCodeError::Character {
                position: 5,
                character: '0',
            })
        );
        assert_eq!(
            VerificationCode::parse("2345-6789-ACEF-HJKΑ"),
            Err(VerificationCodeError::Character {
                position: 16,
                character: 'Α',
            })
        );
        assert_eq!(
            VerificationCode::parse("2345-6789-ACEF-HJK7"),
            Err(VerificationCodeError::Check)
        );
        assert_eq!(
            VerificationCode::parse("3245-6789-ACEF-HJKP"),
            Err(VerificationCodeError::Check)
        );
    }

    #[test]
    fn serde_uses_the_compact_form_and_checks_it() {
        let code = code(9);
        let json = serde_json::to_string(&code).expect("serialises");
        assert_eq!(json, format!("\"{}\"", code.compact()));
        let back: VerificationCode = serde_json::from_str(&json).expect("valid code deserialises");
        assert_eq!(back, code);
        assert!(serde_json::from_str::<VerificationCode>("\"2345-6789-ACEF-HJK7\"").is_err());
    }

    fn any_code() -> impl Strategy<Value = VerificationCode> {
        proptest::collection::vec(any::<u8>(), RANDOM_BYTES..=64)
            .prop_filter_map("enough usable bytes", |random| {
                VerificationCode::generate(&random).ok()
            })
    }

    proptest! {
        #[test]
        fn generated_codes_round_trip(code in any_code()) {
            prop_assert_eq!(VerificationCode::parse(&code.to_string()), Ok(code.clone()));
            prop_assert_eq!(VerificationCode::parse(&code.compact().to_lowercase()), Ok(code));
        }

        #[test]
        fn one_mistyped_character_is_detected(
            code in any_code(),
            position in 0..CODE_CHARS,
            shift in 1..ALPHABET.len(),
        ) {
            let mut typed: Vec<u8> = code.compact().as_bytes().to_vec();
            let value = ALPHABET.iter().position(|&c| c == typed[position]).expect("in alphabet");
            typed[position] = ALPHABET[(value + shift) % ALPHABET.len()];
            let typed = String::from_utf8(typed).expect("ascii");
            prop_assert_eq!(VerificationCode::parse(&typed), Err(VerificationCodeError::Check));
        }

        #[test]
        fn any_swap_of_two_different_characters_is_detected(
            code in any_code(),
            first in 0..CODE_CHARS,
            second in 0..CODE_CHARS,
        ) {
            let mut typed: Vec<u8> = code.compact().as_bytes().to_vec();
            prop_assume!(typed[first] != typed[second]);
            typed.swap(first, second);
            let typed = String::from_utf8(typed).expect("ascii");
            prop_assert_eq!(VerificationCode::parse(&typed), Err(VerificationCodeError::Check));
        }

        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,30}") {
            let _ = VerificationCode::parse(&text);
        }
    }
}
