package dev.tenantkit.benchmarks.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Latency over time as a PNG (headless AWT, no plotting library): one dot per request at its
 * intended send time, latency on a log scale, acme and globex in two colours, requests not
 * answered as expected (2xx, or 404 for a probe) in red, the fault's start and end as vertical
 * lines.
 */
final class LatencyPlot {
  private static final int W = 1000;
  private static final int H = 500;
  private static final int LEFT = 70;
  private static final int BOTTOM = 50;
  private static final int TOP = 40;
  private static final int RIGHT = 20;

  private LatencyPlot() {}

  static void write(List<OpenLoop.Sample> samples, long[] markers, Path png, String title) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double maxSeconds = samples.stream().mapToLong(OpenLoop.Sample::intendedNanos).max().orElse(1) / 1e9;
    double minMs = 0.1;
    double maxMs = 10_000;
    g.setColor(Color.LIGHT_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (double ms = minMs; ms <= maxMs; ms *= 10) {
      int y = y(ms, minMs, maxMs);
      g.drawLine(LEFT, y, W - RIGHT, y);
      g.drawString(ms < 1 ? String.valueOf(ms) : String.valueOf((long) ms), 10, y + 4);
    }
    for (int s = 0; s <= (int) maxSeconds; s += Math.max(1, (int) maxSeconds / 10)) {
      int x = x(s, maxSeconds);
      g.drawLine(x, TOP, x, H - BOTTOM);
      g.drawString(s + " s", x - 8, H - BOTTOM + 16);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString("latency (ms, log scale)", 10, TOP - 10);
    g.drawString("time since the run started (intended send time)", W / 2 - 120, H - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, LEFT + 150, 20);
    g.setStroke(new BasicStroke(2f));
    g.setColor(new Color(120, 120, 120));
    for (long m : markers) {
      int x = x(m / 1e9, maxSeconds);
      g.drawLine(x, TOP, x, H - BOTTOM);
    }
    for (OpenLoop.Sample s : samples) {
      boolean ok = s.asExpected(); // 2xx, or 404 for a probe of a neighbour's document
      g.setColor(!ok ? new Color(220, 30, 30) : s.stream().equals("acme") ? new Color(30, 90, 200)
          : new Color(240, 150, 20));
      double ms = Math.max(minMs, Math.min(maxMs, s.latencyNanos() / 1e6));
      g.fillOval(x(s.intendedNanos() / 1e9, maxSeconds) - 2, y(ms, minMs, maxMs) - 2, 4, 4);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    legend(g, 0, new Color(30, 90, 200), "acme, as expected");
    legend(g, 1, new Color(240, 150, 20), "globex, as expected");
    legend(g, 2, new Color(220, 30, 30), "not as expected (503, 429)");
    legend(g, 3, new Color(120, 120, 120), "restart began / finished");
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void legend(Graphics2D g, int i, Color c, String text) {
    int y = TOP + 15 + i * 16;
    g.setColor(c);
    g.fillRect(W - RIGHT - 230, y - 8, 10, 10);
    g.setColor(Color.DARK_GRAY);
    g.drawString(text, W - RIGHT - 215, y + 1);
  }

  private static int x(double seconds, double maxSeconds) {
    return LEFT + (int) ((W - LEFT - RIGHT) * seconds / Math.max(maxSeconds, 1e-9));
  }

  private static int y(double ms, double minMs, double maxMs) {
    double f = (Math.log10(ms) - Math.log10(minMs)) / (Math.log10(maxMs) - Math.log10(minMs));
    return H - BOTTOM - (int) ((H - BOTTOM - TOP) * f);
  }
}
