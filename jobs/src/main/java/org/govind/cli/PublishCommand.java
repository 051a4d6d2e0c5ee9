package org.govind.cli;

import org.govind.core.Lang;

import java.time.Clock;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.govind.publish.PublishJob;
import org.govind.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind publish: the month's draft (公示稿), or with --final the final publication. */
@Command(name = "publish", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class PublishCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;
    @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
    @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;
    @Option(names = "--final", descriptionKey = "final") boolean isFinal;
    @Option(names = "--force", descriptionKey = "force") boolean force;
    @Option(names = "--out", defaultValue = "./bulletins", descriptionKey = "out", paramLabel = "DIR") java.nio.file.Path out;
    @Option(names = "--issuer", defaultValue = PublishJob.DEFAULT_ISSUER, descriptionKey = "issuer", paramLabel = "TEXT") String issuer;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (force && !isFinal) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--force " + Lang.t("只能与 --final 一起使用", "only goes with --final"));
        org.govind.reports.Fonts.get();   // without a CJK font, stop before publishing anything (the message names the package)
        String lang = Lang.en() ? "en" : "zh";
        org.govind.publish.BulletinReader.checkOut(out, period, lang);   // a folder govind did not write: refuse before recording anything
        // --issuer on the command line; otherwise (GOVIND_ISSUER, conf key issuer, default) a final keeps the draft's
        boolean issuerGiven = spec.commandLine().getParseResult().hasMatchedOption("--issuer");
        var spark = common.session("publish");
        PublishJob.Outcome o = isFinal ? PublishJob.finalise(spark, common.warehouse, period, Clock.systemUTC(), force, issuer, issuerGiven, lang)
                : PublishJob.draft(spark, common.warehouse, period, Rules.load(rules), Clock.systemUTC(), issuer, lang);
        for (String l : o.lines()) System.out.println(l);
        if (o.changed()) {
            System.out.println(("draft".equals(o.status()) ? Lang.t("已发布公示稿 ", "draft published: ") : Lang.t("已正式发布 ", "final published: "))
                    + o.publicationId() + "：" + RateCommand.counts(o.entries()));
            if ("draft".equals(o.status())) {
                System.out.println(Lang.t("公示期至 " + o.publicityEnd() + "（含）；异议用 govind objection add 登记",
                        "publicity until " + o.publicityEnd() + " inclusive; file objections with govind objection add"));
            }
        }
        // rendering only reads the recorded versions and issuer: an unchanged final is rendered again, byte for byte
        // (another --lang into its own folder); an explicit --issuer other than the recorded one is refused
        printReports(org.govind.publish.BulletinReader.render(spark, common.warehouse, period, lang, issuer, issuerGiven, out));
        return 0;
    }

    static void printReports(org.govind.reports.Publisher.Result r) {
        String period = r.dir().getFileName().toString().substring(0, 7);   // <YYYY-MM>[-<lang>]
        System.out.println(Lang.t("报告已写入 ", "reports written to ") + r.dir().toAbsolutePath().normalize() + Lang.t("（" + r.files().size() + " 个文件）", " (" + r.files().size() + " files)"));
        System.out.println("  PDF:  " + r.file(org.govind.reports.Publisher.pdfName(period)).toAbsolutePath().normalize());
        System.out.println("  HTML: " + r.file("index.html").toAbsolutePath().normalize());
        System.out.println("  XLSX: " + r.file(org.govind.reports.Publisher.xlsxName(period)).toAbsolutePath().normalize());
    }
}
