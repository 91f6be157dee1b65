package io.tcpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.testsupport.SharedDir;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The SVG ladder is well-formed XML in the SVG namespace with the structure it promises: two
 * lifelines, one arrow per segment with its label, a time axis tick per segment, the states; the
 * example in docs/ is exactly what the code draws today.
 */
class SvgLadderTest {
    private static final String SVG = "http://www.w3.org/2000/svg";
    static final String EXAMPLE_CAPTURE = "linux-client-close.pcap";

    @Test
    void whoisLadderHasTheStructureItPromises() throws Exception {
        CaptureSummary s = CaptureSummary.read(SharedDir.pcaps().resolve("linux-client-whois-server-close.pcap"), null);
        Conversation c = s.conversation(1);
        Ladder ladder = Ladder.of("whois <&> \"test\"", c, PassiveTracker.track(c));
        Document svg = parse(SvgLadder.render(ladder));
        assertValid(svg, c.segments().size());
        assertEquals("whois <&> \"test\"", svg.getElementsByTagNameNS(SVG, "title").item(0).getTextContent());
        List<String> labels = texts(svg, "label");
        assertEquals("S seq 0 win 29200 [mss 1460,sackOK,TS,wscale 6]", labels.getFirst());
        assertEquals(". seq 235 ack 15 win 65535", labels.getLast());
        assertEquals(List.of("CLOSED", "CLOSED", "SYN_SENT", "LISTEN", "ESTABLISHED", "SYN_RECEIVED", "ESTABLISHED",
                "CLOSE_WAIT", "FIN_WAIT_1", "FIN_WAIT_2", "LAST_ACK", "TIME_WAIT", "CLOSED"), texts(svg, "state"));
        assertEquals("0.303065", texts(svg, "time").getLast());
    }

    @Test
    void theCommittedExampleInDocsIsWhatTheCodeDrawsAndIsValid() throws Exception {
        Path example = docs().resolve("ladder-example.svg");
        Path capture = Samples.dir().resolve(EXAMPLE_CAPTURE);
        Conversation c = CaptureSummary.read(capture, null).conversation(1);
        String drawn = SvgLadder.render(Ladder.of(EXAMPLE_CAPTURE + ", conversation 1", c, PassiveTracker.track(c)));
        assertEquals(drawn, Files.readString(example), "regenerate with: tcpsim show pcap-samples/"
                + EXAMPLE_CAPTURE + " --conv 1 --ladder docs/ladder-example.svg");
        assertValid(parse(Files.readString(example)), c.segments().size());
    }

    static void assertValid(Document svg, int arrows) {
        Element root = svg.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG, root.getNamespaceURI());
        for (String attribute : new String[] {"width", "height", "viewBox"}) {
            assertTrue(root.hasAttribute(attribute), attribute);
        }
        assertEquals(2, byClass(svg, "line", "lifeline").size());
        assertEquals(arrows, byClass(svg, "line", "arrow").size());
        assertEquals(arrows, byClass(svg, "line", "tick").size());
        assertEquals(arrows, texts(svg, "label").size());
        assertEquals(arrows, texts(svg, "time").size());
        for (Element arrow : byClass(svg, "line", "arrow")) {
            String head = arrow.getAttribute("marker-end").replace("url(#", "").replace(")", "");
            assertTrue(svg.getElementById(head) != null || hasId(svg, head), "marker " + head + " defined");
        }
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean hasId(Document svg, String id) {
        NodeList markers = svg.getElementsByTagNameNS(SVG, "marker");
        for (int i = 0; i < markers.getLength(); i++) {
            if (id.equals(((Element) markers.item(i)).getAttribute("id"))) {
                return true;
            }
        }
        return false;
    }

    private static List<Element> byClass(Document svg, String tag, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList all = svg.getElementsByTagNameNS(SVG, tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cssClass)) {
                found.add(e);
            }
        }
        return found;
    }

    static List<String> texts(Document svg, String cssClass) {
        return byClass(svg, "text", cssClass).stream().map(Element::getTextContent).toList();
    }

    static Path docs() throws IOException {
        Path docs = Samples.dir().resolveSibling("docs");
        if (!Files.isDirectory(docs)) {
            throw new IOException("no docs directory beside " + Samples.dir());
        }
        return docs;
    }
}
