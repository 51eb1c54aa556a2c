//! Line numbers of CSV records as people count them, for files read with the `csv` crate:
//! the file's own line, blank lines included, where a record begins.

/// The line (from 1) on which `record` of `text` begins; `previous` is the line of the
/// record before it (0 for none), used when the reader gives no position. The reader counts
/// a record from the end of the previous one, so blank lines before it are added.
pub fn line_of(text: &str, record: &csv::StringRecord, previous: usize) -> usize {
    record.position().map_or(previous + 1, |p| {
        let skipped = text
            .get(usize::try_from(p.byte()).unwrap_or(usize::MAX)..)
            .unwrap_or_default()
            .bytes()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|b| *b == b'\n')
            .count();
        usize::try_from(p.line())
            .unwrap_or(usize::MAX)
            .saturating_add(skipped)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_numbered_by_their_first_line_blank_lines_included() {
        let text = "a,b\n1,2\n\n\n3,\"x\ny\"\n4,5\n";
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut lines = Vec::new();
        let mut line = 1;
        while reader.read_record(&mut record).unwrap_or(false) {
            line = line_of(text, &record, line);
            lines.push(line);
        }
        assert_eq!(lines, [2, 5, 7]);
    }
}
