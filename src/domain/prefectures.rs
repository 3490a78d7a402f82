//! Japan's 47 prefectures with their JIS X 0401 codes, Japanese and English names.

use serde::{Deserialize, Serialize};

const PREFECTURES: [(&str, &str); 47] = [
    ("北海道", "Hokkaido"),
    ("青森県", "Aomori"),
    ("岩手県", "Iwate"),
    ("宮城県", "Miyagi"),
    ("秋田県", "Akita"),
    ("山形県", "Yamagata"),
    ("福島県", "Fukushima"),
    ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"),
    ("埼玉県", "Saitama"),
    ("千葉県", "Chiba"),
    ("東京都", "Tokyo"),
    ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"),
    ("富山県", "Toyama"),
    ("石川県", "Ishikawa"),
    ("福井県", "Fukui"),
    ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"),
    ("岐阜県", "Gifu"),
    ("静岡県", "Shizuoka"),
    ("愛知県", "Aichi"),
    ("三重県", "Mie"),
    ("滋賀県", "Shiga"),
    ("京都府", "Kyoto"),
    ("大阪府", "Osaka"),
    ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"),
    ("鳥取県", "Tottori"),
    ("島根県", "Shimane"),
    ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"),
    ("山口県", "Yamaguchi"),
    ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"),
    ("高知県", "Kochi"),
    ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"),
    ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"),
    ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"),
    ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
];

/// A prefecture, identified by its JIS code 1..=47.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Prefecture(u8);

impl Prefecture {
    /// The prefecture with this JIS code (1 = 北海道 … 47 = 沖縄県).
    pub fn from_code(code: u32) -> Option<Prefecture> {
        (1..=47)
            .contains(&code)
            .then(|| Prefecture(u8::try_from(code).unwrap_or_default()))
    }

    /// Accepts a JIS code ("13", "01", "1"), a Japanese name with or without its suffix ("東京都",
    /// "東京") or an English name in any case ("Tokyo", "tokyo-to").
    pub fn parse(input: &str) -> Option<Prefecture> {
        let input = input.trim();
        if let Ok(code) = input.parse::<u32>() {
            return Prefecture::from_code(code);
        }
        let lower = input.to_lowercase();
        let english = lower
            .trim_end_matches(" prefecture")
            .trim_end_matches("-ken")
            .trim_end_matches("-fu")
            .trim_end_matches("-to");
        PREFECTURES
            .iter()
            .position(|(ja, en)| {
                *ja == input
                    || ja.strip_suffix(['都', '道', '府', '県']) == Some(input)
                    || en.eq_ignore_ascii_case(english)
            })
            .and_then(|i| Prefecture::from_code(u32::try_from(i + 1).unwrap_or_default()))
    }

    /// Every prefecture in code order.
    pub fn all() -> impl Iterator<Item = Prefecture> {
        (1..=47).map(Prefecture)
    }

    pub fn code(self) -> u8 {
        self.0
    }

    /// The two-digit JIS code, such as "01" or "13".
    pub fn code_string(self) -> String {
        format!("{:02}", self.0)
    }

    pub fn name_ja(self) -> &'static str {
        PREFECTURES[usize::from(self.0 - 1)].0
    }

    pub fn name_en(self) -> &'static str {
        PREFECTURES[usize::from(self.0 - 1)].1
    }
}

impl TryFrom<String> for Prefecture {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Prefecture::parse(&value).ok_or_else(|| format!("\"{value}\" is not a prefecture"))
    }
}

impl From<Prefecture> for String {
    fn from(p: Prefecture) -> String {
        p.code_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Prefecture;

    #[test]
    fn parses_codes_and_names() {
        let tokyo = Prefecture::from_code(13);
        assert_eq!(Prefecture::parse("13"), tokyo);
        assert_eq!(Prefecture::parse("東京都"), tokyo);
        assert_eq!(Prefecture::parse("東京"), tokyo);
        assert_eq!(Prefecture::parse("tokyo"), tokyo);
        assert_eq!(Prefecture::parse("Tokyo-to"), tokyo);
        assert_eq!(
            Prefecture::parse("01").map(Prefecture::name_ja),
            Some("北海道")
        );
        assert_eq!(Prefecture::parse("京都").map(Prefecture::code), Some(26));
        assert_eq!(Prefecture::parse("沖縄県").map(Prefecture::code), Some(47));
        assert_eq!(Prefecture::parse("Atlantis"), None);
        assert_eq!(Prefecture::parse("48"), None);
        assert_eq!(Prefecture::all().count(), 47);
    }
}
