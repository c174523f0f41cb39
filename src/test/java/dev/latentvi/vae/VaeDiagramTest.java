package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class VaeDiagramTest {
    private static VaeConfig config(int condition, double beta) {
        return new VaeConfig(784, 2, new int[] {512, 256}, VaeConfig.Likelihood.BERNOULLI, condition, beta, 1e-3, 1e-3);
    }

    private static List<String> texts(String svg) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void drawsTheReparameterizedPathWithTheArchitecturesShapes() throws Exception {
        VaeDiagram d = new VaeDiagram(config(0, 1.0));
        List<String> texts = texts(d.svg());
        assertTrue(texts.contains("784→512→256→4"), texts.toString());    // encoder outputs μ and log σ
        assertTrue(texts.contains("2→256→512→784"), texts.toString());    // the decoder mirrors it
        assertTrue(texts.contains("z = μ + σ ⊙ ε"));
        assertTrue(texts.contains("KL(q_φ(z|x) ‖ N(0, I))"));
        assertTrue(texts.contains("log p_θ(x | z)"));
        assertTrue(texts.contains("loss = −log p_θ(x|z) + KL   (= −ELBO)"));
        assertFalse(texts.stream().anyMatch(t -> t.startsWith("c [")));
        assertEquals("VAE: the reparameterized computation graph", texts.get(0));
        assertTrue(d.mimeBundle().containsKey("image/svg+xml"));
        assertTrue(d.toString().contains("decoder 2→256→512→784 → Bernoulli logits [784]"), d.toString());
    }

    @Test
    void aConditionalVaeFeedsTheConditionToBothNetworksAndShowsBeta() throws Exception {
        List<String> texts = texts(new VaeDiagram(config(10, 2.0)).svg());
        assertEquals("Conditional VAE: the reparameterized computation graph", texts.get(0));
        assertTrue(texts.contains("c [10]"));
        assertTrue(texts.contains("794→512→256→4"), texts.toString());   // (x, c) in, μ and log σ out
        assertTrue(texts.contains("12→256→512→784"), texts.toString());  // (z, c) in
        assertTrue(texts.contains("loss = −log p_θ(x|z) + 2·KL   (= −ELBO at β = 1)"), texts.toString());
    }

    @Test
    void aBuiltVaeDrawsItsOwnConfig() {
        Vae vae = Vae.builder().input(6).latent(3).hidden(5).bernoulliDecoder().build(dev.latentvi.math.Rng.seeded(1));
        assertEquals(vae.config(), vae.diagram().config());
        assertThrows(IllegalArgumentException.class, () -> new VaeDiagram(null));
    }
}
