package org.govind.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.govind.schema.Pii;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The masks, input → expected, for every form real exports use. The numbers are obviously fake
 * (0000/1234/5678 patterns), not anyone's.
 */
class PiiPatternsTest {
    private static final PiiProtector PII = new PiiProtector("patterns-test-key");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            张三明     | 张*明
            王芳       | 王*
            王         | *
            欧阳建华   | 欧阳*华
            欧阳明     | 欧阳*
            欧阳       | 欧*
            司马相如   | 司马*如
            诸葛亮     | 诸葛*
            上官婉儿   | 上官*儿
            东方朔     | 东方*
            皇甫嵩     | 皇甫*
            尉迟恭     | 尉迟*
            公孙胜男   | 公孙*男
            慕容复     | 慕容*
            令狐冲     | 令狐*
            长孙无忌   | 长孙*忌
            宇文化及   | 宇文*及
            司徒雷登   | 司徒*登
            夏侯惇     | 夏侯*
            歐陽修     | 歐陽*
            欧阳娜娜娜 | 欧阳*娜
            买买提·艾力 | 买*力
            '  李四  ' | 李*
            """)
    void names(String in, String out) {
        assertEquals(out, PiiProtector.maskName(in));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            13812345678           | 138****5678
            138-1234-5678         | 138****5678
            138 1234 5678         | 138****5678
            +8613812345678        | 138****5678
            +86 138 1234 5678     | 138****5678
            +86-138-1234-5678     | 138****5678
            008613812345678       | 138****5678
            0086 138-1234-5678    | 138****5678
            8613812345678         | 138****5678
            (+86)13812345678      | 138****5678
            0531-88886666         | 0531-******66
            053188886666          | 0531-******66
            (010) 6552 1234       | 010-******34
            （010）65521234       | 010-******34
            010-65521234          | 010-******34
            021 6123 4567         | 021-******67
            0571-8888666          | 0571-*****66
            +86 531 8888 6666     | 0531-******66
            0086-10-65521234      | 010-******34
            13812345678转123      | 138****5678转123
            '13812345678, 0531-88886666' | '138****5678, 0531-******66'
            65521234              | ******34
            12345                 | *****
            """)
    void phones(String in, String out) {
        assertEquals(out, PiiProtector.maskPhone(in));
    }

    /** Free text: phones masked in place, id numbers replaced by # and 16 hex digits of their keyed hash. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            请联系13812345678           | 请联系138****5678
            电话：+86 138-1234-5678。   | 电话：138****5678。
            Tel13812345678             | Tel138****5678
            座机(010) 6552 1234转8      | 座机010-******34转8
            0531-88886666,0086 138 1234 5678 | 0531-******66,138****5678
            C9,370829,2026-03-01 09:00:00,12.50 | C9,370829,2026-03-01 09:00:00,12.50
            138123456789               | 138123456789
            1381234567                 | 1381234567
            """)
    void phonesInText(String in, String out) {
        assertEquals(out, PII.maskText(in));
    }

    @Test
    void idNumbersInTextAreHashed() {
        String id18 = "000000" + "19900101" + "123" + "4", id18x = "000000" + "19900101" + "123" + "X";
        String id15 = "000000" + "900101" + "123";
        String h18 = "#" + PII.hash(id18).substring(0, 16), h18x = "#" + PII.hash(id18x).substring(0, 16);
        assertEquals("身份证" + h18 + "。", PII.maskText("身份证" + id18 + "。"));
        assertEquals(h18x + "," + h18x, PII.maskText(id18x + "," + id18x.toLowerCase()), "x and X are the same id");
        assertEquals("旧证" + "#" + PII.hash(id15).substring(0, 16), PII.maskText("旧证" + id15));
        // longer digit runs are not ids, a 16- or 17-digit run neither
        assertEquals("1234567890123456", PII.maskText("1234567890123456"));
        assertEquals("0000001990010112345", PII.maskText("0000001990010112345"));
    }

    @Test
    void maskingIsIdempotentAndLeavesHashesAlone() {
        String hash = PII.hash("M1");   // 64 hex digits: a run shaped like a phone inside must survive
        String glued = "ab13812345678cdef0123456789abcdef";
        assertEquals(hash + "|" + glued, PII.maskText(hash + "|" + glued));
        String once = PII.maskText("13812345678,0531-88886666," + "000000199001011234");
        assertEquals(once, PII.maskText(once));
        assertFalse(PiiPatterns.hasPattern(once), once);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            身份证号     | HASH
            证件号码     | HASH
            id_number   | HASH
            IDCard      | HASH
            手机号       | MASK_PHONE
            联系电话2    | MASK_PHONE
            联系方式     | MASK_PHONE
            Mobile      | MASK_PHONE
            tel         | MASK_PHONE
            home_tel    | MASK_PHONE
            姓名         | MASK_NAME
            名字         | MASK_NAME
            联系人       | MASK_NAME
            Name        | MASK_NAME
            contact_name | MASK_NAME
            备注         | NONE
            hotel       | NONE
            小区名称     | NONE
            """)
    void unknownColumnsAreClassifiedByTheirHeader(String header, Pii cls) {
        assertEquals(cls, PiiPatterns.classOfHeader(header));
    }

    @Test
    void everyShapeIsFound() {
        for (String s : new String[] {"13812345678", "+86 138 1234 5678", "0531-88886666", "(010) 6552 1234", "000000199001011234", "000000900101123"}) {
            assertTrue(PiiPatterns.hasPattern("x " + s + " y"), s);
        }
    }
}
