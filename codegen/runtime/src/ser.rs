//! Writing XML: a small, escaping, indenting writer.

/// Builds an XML document. Element-only content is indented by two spaces; text and mixed
/// content are written exactly (no whitespace added), so values survive a round trip.
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    stack: Vec<Frame>,
    mixed_depth: usize,
    prefixes: usize,
    root_attributes: Vec<(String, String, String)>,
    xsi_declared: bool,
}

#[derive(Debug)]
struct Frame {
    name: String,
    default_ns: Option<String>,
    start_open: bool,
    has_elements: bool,
    has_text: bool,
    in_mixed: bool,
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XSI_NS: &str = crate::de::XSI_NS;

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter::new()
    }
}

impl XmlWriter {
    /// A writer that starts with the XML declaration.
    pub fn new() -> XmlWriter {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            stack: Vec::new(),
            mixed_depth: 0,
            prefixes: 0,
            root_attributes: Vec::new(),
            xsi_declared: false,
        }
    }

    /// Write `<!DOCTYPE name SYSTEM "system_id">` (or `PUBLIC`), before the root element.
    pub fn doctype(&mut self, name: &str, public_id: Option<&str>, system_id: &str) {
        match public_id {
            Some(p) => self.out.push_str(&format!(
                "<!DOCTYPE {name} PUBLIC \"{p}\" \"{system_id}\">\n"
            )),
            None => self
                .out
                .push_str(&format!("<!DOCTYPE {name} SYSTEM \"{system_id}\">\n")),
        }
    }

    /// An attribute for the root element, written when it starts (e.g. the
    /// `xsi:noNamespaceSchemaLocation` of a document).
    pub fn root_attribute(&mut self, namespace: &str, name: &str, value: &str) {
        self.root_attributes
            .push((namespace.to_string(), name.to_string(), value.to_string()));
    }

    fn close_start_tag(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            if f.start_open {
                self.out.push('>');
                f.start_open = false;
            }
        }
    }

    fn newline_indent(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    /// Open an element in `namespace` (declared as the default namespace where needed).
    pub fn start(&mut self, name: &str, namespace: Option<&str>) {
        self.close_start_tag();
        let depth = self.stack.len();
        let inherited = self.stack.last().and_then(|f| f.default_ns.clone());
        if let Some(parent) = self.stack.last_mut() {
            parent.has_elements = true;
            if self.mixed_depth == 0 {
                self.newline_indent(depth);
            }
        }
        self.out.push('<');
        self.out.push_str(name);
        if namespace != inherited.as_deref() {
            self.out.push_str(" xmlns=\"");
            escape_into(&mut self.out, namespace.unwrap_or(""), true);
            self.out.push('"');
        }
        let root_attributes = if self.stack.is_empty() {
            std::mem::take(&mut self.root_attributes)
        } else {
            Vec::new()
        };
        self.stack.push(Frame {
            name: name.to_string(),
            default_ns: namespace.map(str::to_string),
            start_open: true,
            has_elements: false,
            has_text: false,
            in_mixed: self.mixed_depth > 0,
        });
        for (ns, n, v) in root_attributes {
            self.attribute_ns(Some(&ns), &n, &v);
        }
    }

    /// Add an unqualified attribute to the element just opened.
    pub fn attribute(&mut self, name: &str, value: &str) {
        self.attribute_ns(None, name, value);
    }

    /// Add an attribute in `namespace` to the element just opened.
    pub fn attribute_ns(&mut self, namespace: Option<&str>, name: &str, value: &str) {
        self.out.push(' ');
        match namespace {
            None => {}
            Some(XML_NS) => self.out.push_str("xml:"),
            Some(XSI_NS) => {
                if !self.xsi_declared {
                    self.out.push_str(&format!("xmlns:xsi=\"{XSI_NS}\" "));
                    self.xsi_declared = true;
                }
                self.out.push_str("xsi:");
            }
            Some(ns) => {
                self.prefixes += 1;
                let prefix = format!("ns{}", self.prefixes);
                self.out.push_str(&format!("xmlns:{prefix}=\""));
                escape_into(&mut self.out, ns, true);
                self.out.push_str("\" ");
                self.out.push_str(&prefix);
                self.out.push(':');
            }
        }
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Write character data into the current element.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.close_start_tag();
        if let Some(f) = self.stack.last_mut() {
            f.has_text = true;
        }
        escape_into(&mut self.out, text, false);
    }

    /// Close the current element.
    pub fn end(&mut self) {
        let Some(f) = self.stack.pop() else {
            return;
        };
        if f.start_open {
            self.out.push_str("/>");
            return;
        }
        if f.has_elements && !f.has_text && !f.in_mixed && self.mixed_depth == 0 {
            let depth = self.stack.len();
            self.newline_indent(depth);
        }
        self.out.push_str("</");
        self.out.push_str(&f.name);
        self.out.push('>');
    }

    /// Write `<name>text</name>`.
    pub fn simple_element(&mut self, name: &str, namespace: Option<&str>, text: &str) {
        self.start(name, namespace);
        self.text(text);
        self.end();
    }

    /// Run `f` with indentation turned off (mixed content: whitespace would be content).
    pub fn mixed(&mut self, f: impl FnOnce(&mut XmlWriter)) {
        if let Some(frame) = self.stack.last_mut() {
            frame.has_text = true;
        }
        self.mixed_depth += 1;
        f(self);
        self.mixed_depth -= 1;
    }

    /// The document, ending with a newline.
    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.end();
        }
        self.out.push('\n');
        self.out
    }
}

/// Escape `text` for element content (`attribute == false`) or a double-quoted attribute.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_element_content_and_escapes() {
        let mut w = XmlWriter::new();
        w.doctype("A", None, "a.dtd");
        w.start("A", None);
        w.attribute("x", "1 \"2\"\n");
        w.simple_element("B", None, " a<b & c ");
        w.start("C", None);
        w.end();
        w.end();
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE A SYSTEM \"a.dtd\">\n\
             <A x=\"1 &quot;2&quot;&#10;\">\n  <B> a&lt;b &amp; c </B>\n  <C/>\n</A>\n"
        );
    }

    #[test]
    fn declares_namespaces_only_where_they_change() {
        let mut w = XmlWriter::new();
        w.start("a", Some("urn:x"));
        w.simple_element("b", Some("urn:x"), "1");
        w.simple_element("c", None, "2");
        w.end();
        let out = w.finish();
        assert!(out.contains("<a xmlns=\"urn:x\">"), "{out}");
        assert!(out.contains("<b>1</b>"), "{out}");
        assert!(out.contains("<c xmlns=\"\">2</c>"), "{out}");
    }

    #[test]
    fn root_attributes_go_on_the_root_with_the_xsi_prefix() {
        let mut w = XmlWriter::new();
        w.root_attribute(XSI_NS, "noNamespaceSchemaLocation", "https://x/a.xsd");
        w.start("a", None);
        w.start("b", None);
        w.end();
        w.end();
        assert!(w.finish().contains(
            "<a xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:noNamespaceSchemaLocation=\"https://x/a.xsd\">\n  <b/>\n</a>"
        ));
    }

    #[test]
    fn mixed_content_is_not_indented() {
        let mut w = XmlWriter::new();
        w.start("p", None);
        w.mixed(|w| {
            w.text("a ");
            w.simple_element("b", None, "x");
            w.text(" c");
        });
        w.end();
        assert!(w.finish().ends_with("<p>a <b>x</b> c</p>\n"));
    }
}
