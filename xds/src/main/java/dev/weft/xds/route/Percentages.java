package dev.weft.xds.route;

import dev.weft.model.networking.Percent;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** Istio's double percentages as Envoy fractions of a million, as istiod emits them. */
final class Percentages {

    private Percentages() {
    }

    static FractionalPercent of(double percent) {
        return FractionalPercent.newBuilder()
                .setNumerator((int) Math.round(percent * 10_000))
                .setDenominator(FractionalPercent.DenominatorType.MILLION)
                .build();
    }

    static FractionalPercent of(Percent percent) {
        return of(percent == null ? 0 : percent.value());
    }
}
