/**
 * The API's CSV cut down to one value of a dimension: the header line and the rows of that
 * value, exactly as the API wrote them (period and grand totals are over every value, so
 * they are left out, as they are from the chart).
 */
export function keepValueLines(csv: string, dimension: string, value: string): string {
  // Lines end as the API ended them (RFC 4180's CRLF), so the file matches its lines byte for byte.
  const eol = csv.includes('\r\n') ? '\r\n' : '\n';
  const lines = csv.split(/\r?\n/);
  const header = parseCsvLine(lines[0] ?? '');
  const level = header.indexOf('level');
  const column = header.indexOf(dimension);
  if (level < 0 || column < 0) throw new Error(`The CSV has no ${dimension} column to keep the lines of ${value} by.`);
  const kept = lines.slice(1).filter((line) => {
    if (!line) return false;
    const fields = parseCsvLine(line);
    return fields[level] === 'row' && fields[column] === value;
  });
  return [lines[0], ...kept].join(eol) + eol;
}

/** One CSV line's fields (RFC 4180 quoting: "a, b" and "say ""hi""" are one field each). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { fields.push(field); field = ''; }
    else field += char;
  }
  fields.push(field);
  return fields;
}
