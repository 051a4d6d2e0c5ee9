package org.govind.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import org.govind.reports.Bulletin.District;
import org.govind.reports.Bulletin.Trend;
import org.govind.reports.Bulletin.TrendPoint;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.jfree.svg.ViewBox;

/**
 * The charts of a monthly bulletin, each as a PNG (for the PDF and XLSX) and as an SVG (inlined in
 * the HTML page). Built with JFreeChart from the plain {@link Bulletin}; every text element is set in
 * the CJK font of {@link Fonts}, and every label is checked for missing glyphs before anything is
 * drawn ({@link #checkGlyphs}), so a character the font lacks stops the run instead of printing a box.
 *
 * <p>Output is reproducible: the same bulletin gives the same SVG string (ids are prefixed by the
 * chart name, never by a clock) and, with the same JVM and font file, the same PNG bytes.
 */
public final class Charts {
    /** Size of every chart, in pixels (PNG) and user units (SVG): 16:9, fits an A4 page width. */
    public static final int WIDTH = 960;
    public static final int HEIGHT = 540;

    /** Chart names in output order; also used as file names and as SVG id prefixes. */
    public static final List<String> NAMES = List.of("trend-on-time", "trend-satisfaction", "coverage", "stars", "black-trend");

    /**
     * One rendered chart.
     *
     * @param name  file-friendly name (see {@link #NAMES})
     * @param title the chart's title, in the bulletin's language
     * @param png   PNG image, {@link #WIDTH}×{@link #HEIGHT}
     * @param svg   a self-contained {@code <svg>} element (no XML prolog, no external references) whose
     *              ids all start with {@code name + "-"}, so several charts can share one HTML page
     */
    public record Rendered(String name, String title, byte[] png, String svg) {}

    /** Series colours, muted and print-safe: districts in code order (line charts); the first three also colour the three coverage rates. */
    static final List<Color> PALETTE = List.of(
            new Color(0xB7, 0x1C, 0x1C),   // party red
            new Color(0x1F, 0x4E, 0x79),   // navy
            new Color(0xC9, 0x8B, 0x00),   // dark gold
            new Color(0x2E, 0x7D, 0x32),   // green
            new Color(0x6A, 0x1B, 0x9A),   // purple
            new Color(0x00, 0x83, 0x8F),   // teal
            new Color(0xE0, 0x6C, 0x00),   // orange
            new Color(0x5D, 0x40, 0x37),   // brown
            new Color(0x45, 0x5A, 0x64),   // slate
            new Color(0xAD, 0x14, 0x57),   // magenta
            new Color(0x55, 0x8B, 0x2F),   // olive
            new Color(0x28, 0x35, 0x93));  // indigo

    /** ★1 (worst) … ★5 (best): red through amber to green. */
    static final List<Color> STAR_COLORS = List.of(
            new Color(0xC6, 0x28, 0x28), new Color(0xEF, 0x6C, 0x00), new Color(0xF9, 0xA8, 0x25),
            new Color(0x7C, 0xB3, 0x42), new Color(0x2E, 0x7D, 0x32));

    private static final Color TEXT = new Color(0x21, 0x21, 0x21);
    private static final Color MUTED = new Color(0x61, 0x61, 0x61);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Color AXIS = new Color(0x9E, 0x9E, 0x9E);

    private static final float TITLE_SIZE = 24f;
    private static final float SUBTITLE_SIZE = 15f;
    private static final float AXIS_LABEL_SIZE = 16f;
    private static final float TICK_SIZE = 14f;
    private static final float LEGEND_SIZE = 15f;
    private static final float ITEM_LABEL_SIZE = 13f;

    static {
        // JFreeChart draws rotated strings (the value axis label) through TextLayout by default, a
        // workaround for old JDK bugs; in SVG that turns the text into glyph outlines (not searchable,
        // no font-family). Java 17 draws rotated strings correctly, so use plain drawString. This is a
        // JVM-wide JFreeChart setting; it only changes how rotated text is drawn.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Charts() {}

    /** The five charts of the bulletin, in the order of {@link #NAMES}. */
    public static List<Rendered> render(Bulletin b) {
        List<Rendered> out = new ArrayList<>();
        for (Named n : charts(b)) {
            checkGlyphs(n.chart());
            out.add(new Rendered(n.name(), n.chart().getTitle().getText(), png(n.chart()), svg(n.name(), n.chart())));
        }
        return List.copyOf(out);
    }

    /** A chart with its file-friendly name (package-private: for tests). */
    record Named(String name, JFreeChart chart) {}

    /** Builds (but does not draw or check) the charts of the bulletin. */
    static List<Named> charts(Bulletin b) {
        Texts tx = new Texts(b.meta().lang());
        String subtitle = tx.t("统计月份：", "Period: ") + b.meta().period() + tx.t("（", " (") + tx.status(b.meta().status())
                + tx.t("）", ")");
        int months = periods(b.trends()).size();
        String last = months > 0 ? tx.t("（近" + months + "个月）", " (last " + months + " months)") : "";
        String month = tx.t("月份", "Month");
        String district = tx.t("区县", "District");
        return List.of(
                new Named("trend-on-time", styled(lineChart(tx.t("各区县按期办结率", "On-time rate by district") + last,
                        month, tx.t("按期办结率", "On-time rate"), trendDataset(b.trends(), TrendPoint::onTimeRate), true),
                        subtitle, tx)),
                new Named("trend-satisfaction", styled(lineChart(tx.t("各区县满意率", "Satisfaction rate by district") + last,
                        month, tx.t("满意率", "Satisfaction rate"), trendDataset(b.trends(), TrendPoint::satisfactionRate), true),
                        subtitle, tx)),
                new Named("coverage", styled(coverageChart(b, tx, district), subtitle, tx)),
                new Named("stars", styled(starsChart(b, tx, district), subtitle, tx)),
                new Named("black-trend", styled(lineChart(tx.t("各区县黑榜企业数", "Black-listed companies by district") + last,
                        month, tx.t("黑榜企业数（家）", "Companies on the black list"),
                        trendDataset(b.trends(), p -> p.blackCount() == null ? null : p.blackCount().doubleValue()), false),
                        subtitle, tx)));
    }

    /**
     * A generic chart from columns (the notebook kernel's {@code %chart}): {@code kind} "line" or "bar",
     * one series per entry of {@code series} (its values in the order of {@code categories}; null = a
     * gap), drawn in the bulletin's look and font and glyph-checked like the bulletin's charts. With
     * {@code percent} the value axis runs 0–100 %; else it is fitted to the values.
     *
     * @throws IllegalArgumentException for another kind, or a series whose length is not the categories'
     * @throws Fonts.MissingFontException when a label holds a character the font lacks
     */
    public static Rendered chart(String name, String kind, String title, String xLabel, String yLabel,
                                 List<String> categories, java.util.Map<String, List<Double>> series, boolean percent) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (java.util.Map.Entry<String, List<Double>> e : series.entrySet()) {
            if (e.getValue().size() != categories.size()) {
                throw new IllegalArgumentException("series " + e.getKey() + " has " + e.getValue().size() + " values for "
                        + categories.size() + " categories");
            }
            for (int i = 0; i < categories.size(); i++) ds.addValue(e.getValue().get(i), e.getKey(), categories.get(i));
        }
        JFreeChart chart = switch (kind) {
            case "line" -> lineChart(title, xLabel, yLabel, ds, percent);
            case "bar" -> barChart(title, xLabel, yLabel, ds, percent);
            default -> throw new IllegalArgumentException("chart kind must be line or bar, not '" + kind + "'");
        };
        if (!percent && chart.getCategoryPlot().getRangeAxis() instanceof NumberAxis y) {
            // fitted to the values (hours, counts, scores), not the bulletin's integer counts from 0
            y.setStandardTickUnits(NumberAxis.createStandardTickUnits());
            y.setAutoRange(true);
        }
        chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(categories.size() > 12
                ? org.jfree.chart.axis.CategoryLabelPositions.UP_45 : org.jfree.chart.axis.CategoryLabelPositions.STANDARD);
        styled(chart, null, new Texts("zh"));
        checkGlyphs(chart);
        return new Rendered(name, title, png(chart), svg(name, chart));
    }

    private static JFreeChart barChart(String title, String xLabel, String yLabel, CategoryDataset ds, boolean percent) {
        NumberAxis y = new NumberAxis(yLabel);
        if (percent) percentAxis(y);
        BarRenderer r = new BarRenderer();
        for (int i = 0; i < ds.getRowCount(); i++) r.setSeriesPaint(i, PALETTE.get(i % PALETTE.size()));
        r.setItemMargin(0.05);
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(xLabel), y, r);
        return new JFreeChart(title, Fonts.get().awt(Font.BOLD, TITLE_SIZE), plot, ds.getRowCount() > 1);
    }

    // ---------------------------------------------------------------- datasets and plots

    /** Periods of all trends, oldest first ("yyyy-MM" sorts as text). */
    private static TreeSet<String> periods(List<Trend> trends) {
        TreeSet<String> periods = new TreeSet<>();
        for (Trend t : trends) for (TrendPoint p : t.points()) periods.add(p.period());
        return periods;
    }

    /** One row per district (by name), one column per period; missing or null points stay null (gaps). */
    private static DefaultCategoryDataset trendDataset(List<Trend> trends, Function<TrendPoint, Double> value) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        TreeSet<String> periods = periods(trends);
        for (Trend t : trends) {
            for (String period : periods) ds.addValue((Number) null, t.districtName(), period);
            for (TrendPoint p : t.points()) ds.setValue(value.apply(p), t.districtName(), p.period());
        }
        return ds;
    }

    private static JFreeChart lineChart(String title, String xLabel, String yLabel, CategoryDataset ds, boolean percent) {
        CategoryAxis x = new CategoryAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        if (percent) percentAxis(y);
        else {
            // counts: integer ticks from 0; at least 0–5 so that a few companies do not look like a surge
            double max = 0;
            for (int row = 0; row < ds.getRowCount(); row++) {
                for (int col = 0; col < ds.getColumnCount(); col++) {
                    Number v = ds.getValue(row, col);
                    if (v != null) max = Math.max(max, v.doubleValue());
                }
            }
            y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            y.setRange(0, Math.max(5, Math.ceil(max * 1.1)));
        }
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        for (int i = 0; i < ds.getRowCount(); i++) {
            r.setSeriesPaint(i, PALETTE.get(i % PALETTE.size()));
            r.setSeriesStroke(i, new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            r.setSeriesShape(i, SHAPES.get((i / PALETTE.size() + i) % SHAPES.size()));
        }
        CategoryPlot plot = new CategoryPlot(ds, x, y, r);
        plot.setOrientation(PlotOrientation.VERTICAL);
        return new JFreeChart(title, Fonts.get().awt(Font.BOLD, TITLE_SIZE), plot, true);
    }

    private static JFreeChart coverageChart(Bulletin b, Texts tx, String district) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        String branch = tx.t("小区党组织覆盖率", "Party branch coverage");
        String property = tx.t("物业服务覆盖率", "Property service coverage");
        String committee = tx.t("业委会组建率", "Owners' committee rate");
        for (District d : b.districts()) {
            // null = no denominator: the value stays null, so no bar is drawn (a 0 bar would be a false figure)
            ds.addValue(d.branchCoverage(), branch, d.name());
            ds.addValue(d.propertyCoverage(), property, d.name());
            ds.addValue(d.committeeRate(), committee, d.name());
        }
        NumberAxis y = new NumberAxis(tx.t("比率", "Rate"));
        percentAxis(y);
        y.setUpperBound(1.08);  // head room for the "100.0%" label above a full bar; ticks still end at 100%
        BarRenderer r = new BarRenderer();
        for (int i = 0; i < 3; i++) r.setSeriesPaint(i, PALETTE.get(i));
        r.setItemMargin(0.05);
        DecimalFormat pct = new DecimalFormat("0.0%", DecimalFormatSymbols.getInstance(Locale.ROOT));
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", pct));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(district), y, r);
        return new JFreeChart(tx.t("各区县小区党组织覆盖率、物业服务覆盖率、业委会组建率", "Coverage rates by district"),
                Fonts.get().awt(Font.BOLD, TITLE_SIZE), plot, true);
    }

    private static JFreeChart starsChart(Bulletin b, Texts tx, String district) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (District d : b.districts()) {
            for (int s = 0; s < 5; s++) {
                Long n = d.starCounts() != null && s < d.starCounts().size() ? d.starCounts().get(s) : null;
                ds.addValue(n, "★" + (s + 1), d.name());
            }
        }
        NumberAxis y = new NumberAxis(tx.t("小区数（个）", "Compounds"));
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        StackedBarRenderer r = new StackedBarRenderer();
        for (int i = 0; i < 5; i++) r.setSeriesPaint(i, STAR_COLORS.get(i));
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(district), y, r);
        return new JFreeChart(tx.t("各区县小区综合星级分布", "Compound star ratings by district"),
                Fonts.get().awt(Font.BOLD, TITLE_SIZE), plot, true);
    }

    /** 0–100 % in steps of 10 %, labelled "0%" … "100%". */
    private static void percentAxis(NumberAxis y) {
        NumberFormat f = new DecimalFormat("0%", DecimalFormatSymbols.getInstance(Locale.ROOT));
        y.setRange(0.0, 1.0);
        y.setTickUnit(new NumberTickUnit(0.1, f));
        y.setNumberFormatOverride(f);
    }

    private static final List<Shape> SHAPES = List.of(
            new Ellipse2D.Double(-3.5, -3.5, 7, 7),
            new Rectangle2D.Double(-3.5, -3.5, 7, 7),
            new java.awt.Polygon(new int[] {0, 4, 0, -4}, new int[] {-4, 0, 4, 0}, 4),
            new java.awt.Polygon(new int[] {0, 4, -4}, new int[] {-4, 3, 3}, 3));

    // ---------------------------------------------------------------- look

    /** The common look: fonts, colours, grid, legend below, subtitle, no shadows or gradients. */
    private static JFreeChart styled(JFreeChart chart, String subtitle, Texts tx) {
        Fonts fonts = Fonts.get();
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(12, 16, 8, 20));
        chart.setBorderVisible(false);

        TextTitle title = chart.getTitle();
        title.setFont(fonts.awt(Font.BOLD, TITLE_SIZE));
        title.setPaint(TEXT);
        title.setHorizontalAlignment(HorizontalAlignment.CENTER);
        if (subtitle != null) {
            TextTitle sub = new TextTitle(subtitle, fonts.awt(SUBTITLE_SIZE));
            sub.setPaint(MUTED);
            sub.setPadding(new RectangleInsets(2, 0, 6, 0));
            chart.addSubtitle(0, sub);
        }

        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(fonts.awt(LEGEND_SIZE));
            legend.setItemPaint(TEXT);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
            legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 12));
        }

        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinesVisible(true);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainGridlinesVisible(false);
        plot.setNoDataMessage(tx.t("无数据", "No data"));
        plot.setNoDataMessageFont(fonts.awt(AXIS_LABEL_SIZE));
        plot.setNoDataMessagePaint(MUTED);
        plot.setInsets(new RectangleInsets(8, 4, 4, 8));
        plot.setDrawingSupplier(new DefaultDrawingSupplier(PALETTE.toArray(new Paint[0]),
                DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE, DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE, DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
                SHAPES.toArray(new Shape[0])));

        CategoryAxis x = plot.getDomainAxis();
        styleAxisText(x, fonts);
        x.setTickLabelFont(fonts.awt(TICK_SIZE));
        x.setTickLabelPaint(TEXT);
        x.setAxisLinePaint(AXIS);
        x.setTickMarksVisible(false);
        // lines: no gap between categories, so the 12 month labels get the full width and stay on one line
        x.setCategoryMargin(plot.getRenderer() instanceof BarRenderer ? 0.25 : 0.0);
        x.setLowerMargin(0.02);
        x.setUpperMargin(0.02);
        x.setMaximumCategoryLabelLines(2);
        ValueAxis y = plot.getRangeAxis();
        styleAxisText(y, fonts);
        y.setTickLabelFont(fonts.awt(TICK_SIZE));
        y.setTickLabelPaint(TEXT);
        y.setAxisLineVisible(false);
        y.setTickMarksVisible(false);
        if (y.isAutoRange()) y.setUpperMargin(0.10);

        CategoryItemRenderer r = plot.getRenderer();
        r.setDefaultItemLabelFont(fonts.awt(ITEM_LABEL_SIZE));
        r.setDefaultItemLabelPaint(TEXT);
        if (r instanceof BarRenderer br) {
            br.setBarPainter(new StandardBarPainter());
            br.setShadowVisible(false);
            br.setDrawBarOutline(false);
            br.setMaximumBarWidth(0.12);
        }
        return chart;
    }

    private static void styleAxisText(org.jfree.chart.axis.Axis axis, Fonts fonts) {
        axis.setLabelFont(fonts.awt(AXIS_LABEL_SIZE));
        axis.setLabelPaint(MUTED);
    }

    // ---------------------------------------------------------------- glyph check

    /**
     * Checks every string the chart will draw (title, text subtitles, axis labels, category and tick
     * labels, legend items, item labels, the no-data message) against the CJK font, before drawing.
     *
     * @throws Fonts.MissingFontException naming the first character the font lacks
     */
    public static void checkGlyphs(JFreeChart chart) {
        Fonts fonts = Fonts.get();
        if (chart.getTitle() != null) fonts.requireGlyphs("chart title", chart.getTitle().getText());
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof TextTitle tt) fonts.requireGlyphs("chart subtitle", tt.getText());
        }
        Plot p = chart.getPlot();
        if (p.getNoDataMessage() != null) fonts.requireGlyphs("no-data message", p.getNoDataMessage());
        LegendItemCollection items = p.getLegendItems();
        if (items != null) {
            for (int i = 0; i < items.getItemCount(); i++) {
                LegendItem li = items.get(i);
                fonts.requireGlyphs("legend item", li.getLabel());
            }
        }
        if (p instanceof CategoryPlot cp) {
            for (int a = 0; a < cp.getDomainAxisCount(); a++) {
                CategoryAxis x = cp.getDomainAxis(a);
                if (x == null) continue;
                if (x.getLabel() != null) fonts.requireGlyphs("category axis label", x.getLabel());
                CategoryDataset ds = cp.getDataset(a);
                if (ds != null) {
                    for (Object key : ds.getColumnKeys()) fonts.requireGlyphs("category label", String.valueOf(key));
                }
            }
            for (int a = 0; a < cp.getRangeAxisCount(); a++) {
                ValueAxis y = cp.getRangeAxis(a);
                if (y == null) continue;
                if (y.getLabel() != null) fonts.requireGlyphs("value axis label", y.getLabel());
                if (y instanceof NumberAxis n) {
                    // tick labels: the formatter applied to the ends of the range covers sign, digits, separators, %
                    NumberFormat f = n.getNumberFormatOverride();
                    for (double v : new double[] {n.getLowerBound(), n.getUpperBound(), -1234567.5}) {
                        String s = f != null ? f.format(v) : n.getTickUnit().valueToString(v);
                        fonts.requireGlyphs("tick label", s);
                    }
                }
            }
            for (int d = 0; d < cp.getDatasetCount(); d++) {
                CategoryDataset ds = cp.getDataset(d);
                CategoryItemRenderer r = cp.getRenderer(d);
                if (ds == null || r == null) continue;
                for (int row = 0; row < ds.getRowCount(); row++) {
                    for (int col = 0; col < ds.getColumnCount(); col++) {
                        if (!r.isItemLabelVisible(row, col) || ds.getValue(row, col) == null) continue;
                        CategoryItemLabelGenerator g = r.getItemLabelGenerator(row, col);
                        if (g != null) fonts.requireGlyphs("item label", g.generateLabel(ds, row, col));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- output

    /** PNG bytes: RGB on white, anti-aliased. ImageIO writes no timestamp, so same pixels → same bytes. */
    static byte[] png(JFreeChart chart) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            hints(g);
            chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeBufferedImageAsPNG(out, img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A self-contained SVG element. JFreeSVG's default id prefix is "_" + System.nanoTime(), which
     * differs per run and could clash between charts on one page; it is fixed to the chart name.
     * Text stays {@code <text>} (searchable) in the font's family, with a generic fallback.
     */
    static String svg(String name, JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(name + "-");
        g.setRenderingHint(SVGHints.KEY_DRAW_STRING_TYPE, SVGHints.VALUE_DRAW_STRING_TYPE_STANDARD);
        String family = Fonts.get().family();
        g.setFontFunction(f -> family.equals(f) ? "\"" + family + "\", sans-serif" : f);
        hints(g);
        chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement(name + "-chart", true, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }
}
