/*
 * LuceneOracle: parse queries with the REAL Apache Lucene classic QueryParser
 * (org.apache.lucene.queryparser.classic.QueryParser) and print Query.toString(field).
 *
 * Used by tests/lucene/oracle.py and tests/lucene/check_corpus.py as a differential-testing
 * oracle. Compiles against Lucene 7.x, 8.x and 9.x (no version-specific API is referenced
 * directly; setSplitOnWhitespace is called reflectively).
 *
 * Input (stdin, UTF-8): one JSON object per line:
 *     {"q": "a AND b", "default_operator": "OR"}
 *   keys (all but "q" optional):
 *     q                       string  the query text (required)
 *     default_operator        "OR" | "AND"             (default "OR")
 *     field                   string default field     (default "field")
 *     allow_leading_wildcard  true | false             (default false, Lucene's default)
 *     split_on_whitespace     true | false             (default false, Lucene >= 7 default)
 *     analyzer                "whitespace" | "keyword" (default "whitespace"; "keyword" keeps the
 *                             whole text as one token, like Auth0's untokenised log fields)
 *   Unknown keys are ignored. The JSON reader is deliberately tiny: a flat object whose values
 *   are strings, booleans, numbers or null (full JSON string escapes incl. \\uXXXX surrogate
 *   pairs are supported). A malformed line yields "ERROR(BadRequest): ..." rather than exiting.
 *
 * Analyzer: WhitespaceAnalyzer (no lowercasing) unless "analyzer" is "keyword".
 *
 * Output (stdout, UTF-8): exactly one line per input line, in order:
 *   - Query.toString(field), or
 *   - "ERROR: " + message                      for ParseException (what QueryParser.parse throws,
 *                                               including wrapped TokenMgrError / TooManyClauses)
 *   - "ERROR(SimpleClassName): " + message     for any other exception (e.g. the
 *                                               IllegalArgumentException of an invalid regexp).
 *   In error messages every run of whitespace (Java \s: [ \t\n\x0B\f\r]) is collapsed to one
 *   space, so the multi-line JavaCC message fits on one line. This is the convention of
 *   /work/shared/compat/corpus.jsonl (which additionally truncates the text after "ERROR: " to
 *   160 characters; the harness does NOT truncate, see oracle.corpus_form()).
 *
 *   Plain mode (default): the text is printed raw, except that CR and LF characters inside a
 *   successful toString() (possible e.g. inside a /regexp/ or an escaped term) are printed as the
 *   two-character sequences \r and \n so that the one-line-per-query protocol holds. This is
 *   lossy only for such pathological outputs.
 *   --json mode: every output line is a JSON string literal (lossless, ASCII-only with \\u
 *   escapes). oracle.py uses this mode.
 *
 * Other flags:
 *   --version   print the Lucene version (org.apache.lucene.util.Version.LATEST) and exit.
 *
 * Output is flushed whenever stdin has no more buffered input, so a driver may write a batch
 * and then read exactly as many lines as it wrote.
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.BufferedWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.Query;

public final class LuceneOracle {

  private static final Analyzer ANALYZER = new WhitespaceAnalyzer();
  private static final Analyzer KEYWORD_ANALYZER = new KeywordAnalyzer();
  private static Method splitOnWhitespaceSetter;
  private static boolean splitLookupDone;

  public static void main(String[] args) throws Exception {
    boolean json = false;
    for (String a : args) {
      if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--version")) {
        System.out.println(luceneVersion());
        return;
      } else {
        System.err.println("usage: LuceneOracle [--json] [--version]  < requests.jsonl");
        System.exit(2);
      }
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false);
    String line;
    while ((line = in.readLine()) != null) {
      String result = handle(line);
      if (json) {
        out.print(jsonQuote(result));
      } else {
        out.print(result.replace("\r", "\\r").replace("\n", "\\n"));
      }
      out.print('\n');
      if (!in.ready()) {
        out.flush();
      }
    }
    out.flush();
  }

  static String luceneVersion() {
    try {
      Class<?> v = Class.forName("org.apache.lucene.util.Version");
      return String.valueOf(v.getField("LATEST").get(null));
    } catch (Exception e) {
      return "unknown";
    }
  }

  static String handle(String line) {
    Map<String, Object> req;
    try {
      req = MiniJson.parseFlatObject(line);
    } catch (IllegalArgumentException e) {
      return "ERROR(BadRequest): " + e.getMessage();
    }
    Object q = req.get("q");
    if (!(q instanceof String)) {
      return "ERROR(BadRequest): missing string key \"q\"";
    }
    String field = req.get("field") instanceof String ? (String) req.get("field") : "field";
    String op = req.get("default_operator") instanceof String ? (String) req.get("default_operator") : "OR";
    try {
      Analyzer analyzer = "keyword".equals(req.get("analyzer")) ? KEYWORD_ANALYZER : ANALYZER;
      QueryParser qp = new QueryParser(field, analyzer);
      if (op.equalsIgnoreCase("AND")) {
        qp.setDefaultOperator(QueryParser.Operator.AND);
      } else if (op.equalsIgnoreCase("OR")) {
        qp.setDefaultOperator(QueryParser.Operator.OR);
      } else {
        return "ERROR(BadRequest): default_operator must be OR or AND";
      }
      qp.setAllowLeadingWildcard(Boolean.TRUE.equals(req.get("allow_leading_wildcard")));
      setSplitOnWhitespace(qp, Boolean.TRUE.equals(req.get("split_on_whitespace")));
      Query query = qp.parse((String) q);
      return query.toString(field);
    } catch (ParseException e) {
      return "ERROR: " + collapse(e.getMessage());
    } catch (Throwable t) {
      // StackOverflowError on absurd nesting, IllegalArgumentException from RegExp, ...
      return "ERROR(" + t.getClass().getSimpleName() + "): " + collapse(String.valueOf(t.getMessage()));
    }
  }

  /** QueryParser.setSplitOnWhitespace exists since Lucene 6.1; call it only if present. */
  static void setSplitOnWhitespace(QueryParser qp, boolean value) throws Exception {
    if (!splitLookupDone) {
      try {
        splitOnWhitespaceSetter = QueryParser.class.getMethod("setSplitOnWhitespace", boolean.class);
      } catch (NoSuchMethodException e) {
        splitOnWhitespaceSetter = null;
      }
      splitLookupDone = true;
    }
    if (splitOnWhitespaceSetter != null) {
      splitOnWhitespaceSetter.invoke(qp, value);
    }
  }

  static String collapse(String s) {
    return s == null ? "null" : s.replaceAll("\\s+", " ");
  }

  static String jsonQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  /** Just enough JSON for one flat object per line. */
  static final class MiniJson {
    private final String s;
    private int i;

    private MiniJson(String s) {
      this.s = s;
    }

    static Map<String, Object> parseFlatObject(String s) {
      MiniJson p = new MiniJson(s);
      Map<String, Object> m = new HashMap<>();
      p.ws();
      p.expect('{');
      p.ws();
      if (p.peek() == '}') {
        p.i++;
      } else {
        while (true) {
          p.ws();
          String k = p.string();
          p.ws();
          p.expect(':');
          p.ws();
          m.put(k, p.value());
          p.ws();
          char c = p.next();
          if (c == '}') break;
          if (c != ',') throw p.err("expected ',' or '}'");
        }
      }
      p.ws();
      if (p.i != s.length()) throw p.err("trailing characters");
      return m;
    }

    private IllegalArgumentException err(String msg) {
      return new IllegalArgumentException("bad JSON request at offset " + i + ": " + msg);
    }

    private char peek() {
      if (i >= s.length()) throw err("unexpected end");
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) throw err("expected '" + c + "'");
    }

    private void ws() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) i++;
    }

    private Object value() {
      char c = peek();
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (i == start) throw err("unsupported value (only flat string/bool/number/null values)");
      return s.substring(start, i);
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') return b.toString();
        if (c != '\\') { b.append(c); continue; }
        char e = next();
        switch (e) {
          case '"': b.append('"'); break;
          case '\\': b.append('\\'); break;
          case '/': b.append('/'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          case 'u':
            if (i + 4 > s.length()) throw err("truncated \\u escape");
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw err("bad \\u escape");
            }
            i += 4;
            break;
          default:
            throw err("bad escape \\" + e);
        }
      }
    }
  }
}
