package dev.sentinel.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * {@code chart.png}: panels of horizontal bars stacked in one image, drawn with Java2D (no
 * plotting library). Each panel has its own scale, linear or logarithmic.
 */
final class Chart {

    static final Color JDBC = new Color(0x8c, 0x9e, 0xb5);
    static final Color JOOQ = new Color(0xc8, 0xc8, 0xc8);
    static final Color SENTINEL = new Color(0x2f, 0x6d, 0xb5);
    static final Color HIBERNATE = new Color(0x9b, 0x6b, 0xb0);
    static final Color TRIGGER = new Color(0xd9, 0x7b, 0x29);
    static final Color OTHER = new Color(0x5a, 0xa0, 0x6e);

    /**
     * One bar.
     *
     * @param group the group it is drawn in (a heading above its bars)
     * @param label its label, left of the bar
     * @param value its length
     * @param text what is written after it
     * @param color its colour
     */
    record Bar(String group, String label, double value, String text, Color color) {
    }

    /**
     * One panel.
     *
     * @param title the panel's heading
     * @param bars its bars, in order
     * @param logarithmic a logarithmic scale (values spanning orders of magnitude)
     * @param reference where to draw a dashed reference line, or {@code NaN}
     * @param axisUnit written after the tick values, e.g. {@code ×}
     * @param footnote a line under the panel, or empty
     */
    record Panel(String title, List<Bar> bars, boolean logarithmic, double reference, String axisUnit, String footnote) {
    }

    private static final int WIDTH = 1100;
    private static final int LEFT = 250;
    private static final int RIGHT = 150;
    private static final int BAR = 16;
    private static final int GROUP_GAP = 8;

    private Chart() {
    }

    /**
     * Writes the panels into one PNG.
     *
     * @param file the file
     * @param subtitle a line under the image's title
     * @param panels the panels, top to bottom; empty ones are left out
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, String subtitle, List<Panel> panels) throws IOException {
        List<Panel> shown = panels.stream().filter(p -> !p.bars().isEmpty()).toList();
        int height = 70;
        for (Panel panel : shown) {
            height += panelHeight(panel);
        }
        BufferedImage image = new BufferedImage(WIDTH, Math.max(height, 120), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString("Sentinel benchmarks", 20, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 20, 50);
            int y = 70;
            for (Panel panel : shown) {
                draw(g, panel, y);
                y += panelHeight(panel);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static int panelHeight(Panel panel) {
        long groups = panel.bars().stream().map(Bar::group).distinct().count();
        return 40 + panel.bars().size() * BAR + (int) groups * (GROUP_GAP + BAR) + 30 + (panel.footnote().isEmpty() ? 0 : 18) + 20;
    }

    private static void draw(Graphics2D g, Panel panel, int top) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(panel.title(), 20, top + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int barsTop = top + 40;
        long groups = panel.bars().stream().map(Bar::group).distinct().count();
        int axisBottom = barsTop + panel.bars().size() * BAR + (int) groups * (GROUP_GAP + BAR);
        double max = panel.bars().stream().mapToDouble(Bar::value).max().orElse(1.0);
        Scale scale = panel.logarithmic() ? new LogScale(max) : new LinearScale(Math.max(fitting(panel, g.getFontMetrics()),
                Math.max(max * 1.1, Double.isNaN(panel.reference()) ? 0 : panel.reference() * 1.2)));

        g.setColor(new Color(0xe6, 0xe6, 0xe6));
        for (double tick : scale.ticks()) {
            int x = LEFT + scale.x(tick);
            g.drawLine(x, barsTop - 6, x, axisBottom);
        }
        g.setColor(Color.DARK_GRAY);
        for (double tick : scale.ticks()) {
            int x = LEFT + scale.x(tick);
            String text = Report.number(tick, tick < 10 && tick != Math.floor(tick) ? 1 : 0) + panel.axisUnit();
            g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, axisBottom + 16);
        }

        int y = barsTop;
        String group = null;
        FontMetrics metrics = g.getFontMetrics();
        for (Bar bar : panel.bars()) {
            if (!bar.group().equals(group)) {
                if (group != null) {
                    y += GROUP_GAP;
                }
                group = bar.group();
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                g.drawString(group, 20, y + BAR - 4);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                y += BAR;
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(bar.label(), LEFT - 10 - metrics.stringWidth(bar.label()), y + BAR - 4);
            int length = Math.max(1, scale.x(bar.value()));
            g.setColor(bar.color());
            g.fillRect(LEFT, y + 2, length, BAR - 4);
            g.setColor(Color.BLACK);
            g.drawString(bar.text(), LEFT + length + 6, y + BAR - 4);
            y += BAR;
        }
        if (!Double.isNaN(panel.reference())) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
            int x = LEFT + scale.x(panel.reference());
            g.drawLine(x, barsTop - 6, x, axisBottom);
            g.setStroke(new BasicStroke(1f));
        }
        if (!panel.footnote().isEmpty()) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(panel.footnote(), 20, axisBottom + 36);
        }
    }

    /** The least axis maximum at which every bar's text still ends inside the image. */
    private static double fitting(Panel panel, FontMetrics metrics) {
        double span = WIDTH - LEFT - RIGHT;
        double least = 0;
        for (Bar bar : panel.bars()) {
            double room = WIDTH - 10 - LEFT - 6 - metrics.stringWidth(bar.text());
            least = Math.max(least, bar.value() * span / Math.max(room, span / 4));
        }
        return least;
    }

    private interface Scale {
        int x(double value);

        List<Double> ticks();
    }

    private record LinearScale(double max) implements Scale {

        @Override
        public int x(double value) {
            return (int) Math.round(value / max * (WIDTH - LEFT - RIGHT));
        }

        @Override
        public List<Double> ticks() {
            double raw = max / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / magnitude < 2 ? 2 * magnitude : raw / magnitude < 5 ? 5 * magnitude : 10 * magnitude;
            if (max <= 3) {
                step = 0.5;
            }
            List<Double> ticks = new java.util.ArrayList<>();
            for (double tick = 0; tick <= max; tick += step) {
                ticks.add(tick);
            }
            return ticks;
        }
    }

    private record LogScale(double max) implements Scale {

        private double top() {
            return Math.pow(10, Math.ceil(Math.log10(Math.max(max, 10))));
        }

        @Override
        public int x(double value) {
            double lowest = 1;
            double clamped = Math.max(value, lowest);
            return (int) Math.round(Math.log10(clamped / lowest) / Math.log10(top() / lowest) * (WIDTH - LEFT - RIGHT));
        }

        @Override
        public List<Double> ticks() {
            List<Double> ticks = new java.util.ArrayList<>();
            for (double tick = 1; tick <= top(); tick *= 10) {
                ticks.add(tick);
            }
            return ticks;
        }
    }
}
