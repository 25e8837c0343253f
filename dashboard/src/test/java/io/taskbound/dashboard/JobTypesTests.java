package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the job catalogue writes Java types: as they are written in source. */
class JobTypesTests {

    @SuppressWarnings("unused")
    static <T extends Number> Map<String, List<? extends Number>> sample(
            long[] numbers, String[][] grid, List<? super Integer> sink, T value, Optional<T>[] options) {
        return Map.of();
    }

    @Test
    void writesJavaLangTypesBySimpleNameAndOthersByFullNameWithTheirTypeArguments() throws Exception {
        Method sample = JobTypesTests.class.getDeclaredMethod(
                "sample", long[].class, String[][].class, List.class, Number.class, Optional[].class);
        assertThat(JobTypes.name(sample.getGenericReturnType()))
                .isEqualTo("java.util.Map<String, java.util.List<? extends Number>>");
        assertThat(List.of(sample.getGenericParameterTypes()).stream()
                        .map(JobTypes::name)
                        .toList())
                .containsExactly(
                        "long[]", "String[][]", "java.util.List<? super Integer>", "T", "java.util.Optional<T>[]");
        assertThat(JobTypes.name(Map.Entry.class)).isEqualTo("java.util.Map.Entry");
        assertThat(JobTypes.name(void.class)).isEqualTo("void");
        assertThat(JobTypes.name(Thread.State.class)).isEqualTo("java.lang.Thread.State");
    }
}
