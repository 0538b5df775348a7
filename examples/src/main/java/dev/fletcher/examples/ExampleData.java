package dev.fletcher.examples;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The example's data: the lead-conversion and checkout-experiment scenarios, generated deterministically from a
 * seed. Every timestamp lies in the 60 days before {@link #END} (a fixed date, so results are reproducible) and is
 * UTC.
 *
 * <p>What the data is built to show: the same lead can be predicted more than once; conversions arrive hours or days
 * after the lead; model version {@code v2}, deployed on day 45, is noisier than {@code v1} (the accuracy monitor
 * sees it); customers' plans change over time; assignment events repeat and a few customers land in both variants;
 * treatment raises each customer's order rate by {@link #TREATMENT_LIFT}; and a customer's spending is stable over
 * time, so the pre-period predicts the outcome and CUPED narrows the interval. The {@code clicks} table (users'
 * page clicks) is the one the README's tour defines a feature view on.
 */
public final class ExampleData {
    public static final Instant END = Instant.parse("2026-03-02T00:00:00Z");
    public static final Instant START = END.minus(Duration.ofDays(60));
    /** Assignments happen during the 14 days from here; outcomes over the 14 days after each. */
    public static final Instant EXPERIMENT_START = START.plus(Duration.ofDays(30));
    /** Leads from this moment on are scored by model {@code v2}. */
    public static final Instant V2_DEPLOYED = START.plus(Duration.ofDays(45));
    public static final long DEFAULT_SEED = 20260302L;
    public static final double TREATMENT_LIFT = 1.10;
    /** Every table the example holds, in load order. */
    public static final List<String> TABLES = List.of("leads", "predictions", "conversions", "customers",
            "customer_profiles", "orders", "assignments", "clicks");

    static final int LEADS = 30_000;
    static final int CUSTOMERS = 8_000;
    static final int USERS = 500;
    static final int CLICKS = 40_000;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_HOUR = 3_600L * MICROS_PER_SECOND;
    private static final long MICROS_PER_DAY = 24L * MICROS_PER_HOUR;
    private static final long START_MICROS = START.getEpochSecond() * MICROS_PER_SECOND;
    private static final long END_MICROS = END.getEpochSecond() * MICROS_PER_SECOND;

    private static final String[] REFERRERS = {"facebook", "google", "newsletter", "direct"};
    private static final double[] REFERRER_SHARE = {0.35, 0.30, 0.15, 0.20};
    /** Log-odds of converting for an average lead of each referrer. */
    private static final double[] REFERRER_LOGIT = {-3.0, -2.3, -1.5, -2.0};
    private static final String[] EMAIL_DOMAINS = {"example.com", "example.org", "example.net"};
    private static final String[] SUBSCRIPTIONS = {"starter", "pro", "team"};
    private static final double[] SUBSCRIPTION_SHARE = {0.6, 0.3, 0.1};
    private static final double[] SUBSCRIPTION_PRICE = {29.0, 99.0, 299.0};
    private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "ES"};
    private static final double[] COUNTRY_SHARE = {0.25, 0.20, 0.30, 0.15, 0.10};
    private static final String[] CHANNELS = {"web", "mobile", "partner"};
    private static final double[] CHANNEL_SHARE = {0.55, 0.35, 0.10};
    private static final String[] PLANS = {"free", "basic", "pro"};
    private static final double[] PLAN_SHARE = {0.50, 0.35, 0.15};
    private static final long[] PLAN_CREDIT = {0, 1_000, 5_000};

    private final Map<String, ExampleTable> tables = new LinkedHashMap<>();

    private ExampleData() {
    }

    public static ExampleData generate() {
        return generate(DEFAULT_SEED);
    }

    public static ExampleData generate(long seed) {
        ExampleData data = new ExampleData();
        Random random = new Random(seed);
        new LeadScenario(random).build(data);
        new CheckoutScenario(random).build(data);
        // A generator of its own, so the tables above stay what they were before clicks were added.
        new ClickScenario(new Random(seed + 1)).build(data);
        return data;
    }

    /** The tables in load order. */
    public List<ExampleTable> tables() {
        return List.copyOf(tables.values());
    }

    public ExampleTable table(String name) {
        ExampleTable table = tables.get(name);
        if (table == null) {
            throw new IllegalArgumentException("the example has no table '" + name + "'; it has " + tables.keySet());
        }
        return table;
    }

    private void put(ExampleTable table) {
        tables.put(table.name(), table);
    }

    // ---- scenario 1: leads, model predictions, conversions -------------------------------------------------

    private record Lead(long createdAt, int referrer, double quality) {
    }

    private record Prediction(int lead, int label, double score, String model, long predictedAt, long loadedAt) {
    }

    private record Conversion(int lead, long convertedAt, int subscription) {
    }

    private static final class LeadScenario {
        private final Random random;

        LeadScenario(Random random) {
            this.random = random;
        }

        void build(ExampleData data) {
            List<Lead> leads = new ArrayList<>(LEADS);
            for (int i = 0; i < LEADS; i++) {
                leads.add(new Lead(leadTime(), pick(random, REFERRER_SHARE), random.nextGaussian()));
            }
            leads.sort(Comparator.comparingLong(Lead::createdAt));

            List<Prediction> predictions = new ArrayList<>();
            List<Conversion> conversions = new ArrayList<>();
            for (int i = 0; i < leads.size(); i++) {
                Lead lead = leads.get(i);
                double logit = REFERRER_LOGIT[lead.referrer()] + 1.6 * lead.quality();
                boolean v2 = lead.createdAt() >= V2_DEPLOYED.getEpochSecond() * MICROS_PER_SECOND;
                // The model sees the lead's quality through noise; v2 sees it worse.
                double noise = random.nextGaussian() * (v2 ? 1.6 : 0.45);
                double score = round(sigmoid(logit + 1.6 * noise), 4);
                int label = score >= 0.3 ? 1 : 0;
                long predictedAt = lead.createdAt() + seconds(1 + random.nextInt(30));
                int events = random.nextDouble() < 0.08 ? (random.nextDouble() < 0.1 ? 3 : 2) : 1;
                for (int e = 0; e < events; e++) {
                    // A retried event: same prediction, fired again a little later.
                    long firedAt = predictedAt + (e == 0 ? 0 : seconds(5 + random.nextInt(120)));
                    long loadedAt = firedAt + seconds(1 + random.nextInt(600));
                    predictions.add(new Prediction(i, label, score, v2 ? "v2" : "v1", firedAt, loadedAt));
                }
                if (random.nextDouble() < sigmoid(logit)) {
                    long delay = random.nextDouble() < 0.7
                            ? Math.max(seconds(300), (long) (-Math.log(1 - random.nextDouble()) * 3 * MICROS_PER_HOUR))
                            : MICROS_PER_DAY + (long) (random.nextDouble() * 9 * MICROS_PER_DAY);
                    long convertedAt = lead.createdAt() + delay;
                    int subscription = pick(random, SUBSCRIPTION_SHARE);
                    if (convertedAt < END_MICROS) {
                        conversions.add(new Conversion(i, convertedAt, subscription));
                    }
                }
            }
            predictions.sort(Comparator.comparingLong(Prediction::predictedAt));
            conversions.sort(Comparator.comparingLong(Conversion::convertedAt));

            int n = leads.size();
            String[] leadIds = new String[n];
            String[] emails = new String[n];
            String[] referrers = new String[n];
            long[] created = new long[n];
            for (int i = 0; i < n; i++) {
                leadIds[i] = leadId(i);
                emails[i] = "lead" + (i + 1) + "@" + EMAIL_DOMAINS[i % EMAIL_DOMAINS.length];
                referrers[i] = REFERRERS[leads.get(i).referrer()];
                created[i] = leads.get(i).createdAt();
            }
            data.put(new ExampleTable("leads", n)
                    .strings("lead_id", leadIds)
                    .strings("email", emails)
                    .strings("referrer", referrers)
                    .timestamps("created_at", created));

            int p = predictions.size();
            String[] predictionIds = new String[p];
            String[] predictedLeads = new String[p];
            int[] labels = new int[p];
            double[] scores = new double[p];
            String[] models = new String[p];
            long[] predictedAt = new long[p];
            long[] loadedAt = new long[p];
            for (int i = 0; i < p; i++) {
                Prediction prediction = predictions.get(i);
                predictionIds[i] = id("pred_", i + 1, 6);
                predictedLeads[i] = leadId(prediction.lead());
                labels[i] = prediction.label();
                scores[i] = prediction.score();
                models[i] = prediction.model();
                predictedAt[i] = prediction.predictedAt();
                loadedAt[i] = prediction.loadedAt();
            }
            data.put(new ExampleTable("predictions", p)
                    .strings("prediction_id", predictionIds)
                    .strings("lead_id", predictedLeads)
                    .ints("predicted_label", labels)
                    .doubles("score", scores)
                    .strings("model_version", models)
                    .timestamps("predicted_at", predictedAt)
                    .timestamps("loaded_at", loadedAt));

            int c = conversions.size();
            String[] convertedLeads = new String[c];
            long[] convertedAt = new long[c];
            String[] plans = new String[c];
            double[] amounts = new double[c];
            for (int i = 0; i < c; i++) {
                Conversion conversion = conversions.get(i);
                convertedLeads[i] = leadId(conversion.lead());
                convertedAt[i] = conversion.convertedAt();
                plans[i] = SUBSCRIPTIONS[conversion.subscription()];
                amounts[i] = SUBSCRIPTION_PRICE[conversion.subscription()];
            }
            data.put(new ExampleTable("conversions", c)
                    .strings("lead_id", convertedLeads)
                    .timestamps("converted_at", convertedAt)
                    .strings("plan", plans)
                    .doubles("amount", amounts));
        }

        /** A moment in the 60 days, busier in the afternoon than at night. */
        private long leadTime() {
            while (true) {
                long day = random.nextInt(60);
                double hour = random.nextDouble() * 24;
                double busy = 0.3 + 0.7 * Math.max(0, Math.sin(Math.PI * (hour - 7) / 16));
                if (random.nextDouble() < busy) {
                    return START_MICROS + day * MICROS_PER_DAY + (long) (hour * MICROS_PER_HOUR);
                }
            }
        }

        private static String leadId(int index) {
            return id("lead_", index + 1, 6);
        }
    }

    // ---- scenario 2: customers, profiles, orders, the checkout experiment ----------------------------------

    private record Customer(String id, String country, String channel, long signedUpAt, double ordersPerDay,
            double orderValue) {
    }

    private record Assignment(int customer, String variant, long assignedAt) {
    }

    private record Order(int customer, double revenue, boolean refunded, long orderedAt) {
    }

    private record Profile(int customer, String plan, long creditLimit, long updatedAt) {
    }

    private static final class CheckoutScenario {
        private final Random random;

        CheckoutScenario(Random random) {
            this.random = random;
        }

        void build(ExampleData data) {
            List<Customer> customers = new ArrayList<>(CUSTOMERS);
            for (int i = 0; i < CUSTOMERS; i++) {
                long signedUp = START_MICROS - 180 * MICROS_PER_DAY + (long) (random.nextDouble() * 200 * MICROS_PER_DAY);
                // Order rate and basket size differ a lot between customers and stay put over time.
                double rate = gamma(1.2) * 0.2 / 1.2;
                double value = 30.0 * Math.exp(0.7 * random.nextGaussian() - 0.245);
                customers.add(new Customer(id("cust_", i + 1, 5), COUNTRIES[pick(random, COUNTRY_SHARE)],
                        CHANNELS[pick(random, CHANNEL_SHARE)], signedUp, rate, value));
            }

            List<Profile> profiles = new ArrayList<>();
            for (int i = 0; i < customers.size(); i++) {
                Customer customer = customers.get(i);
                int plan = pick(random, PLAN_SHARE);
                profiles.add(profile(i, plan, customer.signedUpAt()));
                double changes = random.nextDouble();
                int count = changes < 0.6 ? 0 : changes < 0.9 ? 1 : 2;
                long from = Math.max(customer.signedUpAt(), START_MICROS);
                long[] times = new long[count];
                for (int k = 0; k < count; k++) {
                    times[k] = from + (long) (random.nextDouble() * (END_MICROS - from));
                }
                Arrays.sort(times);
                for (long time : times) {
                    plan = (plan + 1 + random.nextInt(PLANS.length - 1)) % PLANS.length;
                    profiles.add(profile(i, plan, time));
                }
            }
            profiles.sort(Comparator.comparingLong(Profile::updatedAt));

            List<Assignment> assignments = new ArrayList<>();
            String[] firstVariant = new String[customers.size()];
            long[] firstAssigned = new long[customers.size()];
            for (int i = 0; i < customers.size(); i++) {
                if (random.nextDouble() >= 0.85) {
                    continue;
                }
                String variant = random.nextBoolean() ? "treatment" : "control";
                long assignedAt = EXPERIMENT_START.getEpochSecond() * MICROS_PER_SECOND
                        + (long) (random.nextDouble() * 14 * MICROS_PER_DAY);
                firstVariant[i] = variant;
                firstAssigned[i] = assignedAt;
                assignments.add(new Assignment(i, variant, assignedAt));
                // The checkout page logs an assignment on every visit, so most subjects repeat.
                if (random.nextDouble() < 0.25) {
                    int repeats = 1 + random.nextInt(3);
                    for (int k = 0; k < repeats; k++) {
                        assignments.add(new Assignment(i, variant, assignedAt + (long) (random.nextDouble() * 5 * MICROS_PER_DAY)));
                    }
                }
                if (random.nextDouble() < 0.008) {
                    String other = variant.equals("control") ? "treatment" : "control";
                    assignments.add(new Assignment(i, other, assignedAt + (long) (random.nextDouble() * 3 * MICROS_PER_DAY)));
                }
            }
            assignments.sort(Comparator.comparingLong(Assignment::assignedAt));

            List<Order> orders = new ArrayList<>();
            for (int i = 0; i < customers.size(); i++) {
                Customer customer = customers.get(i);
                boolean treated = "treatment".equals(firstVariant[i]);
                long t = Math.max(START_MICROS, customer.signedUpAt());
                while (true) {
                    // Thinning keeps the process exact across the change of rate at assignment.
                    double maxRate = customer.ordersPerDay() * (treated ? TREATMENT_LIFT : 1.0);
                    t += (long) (-Math.log(1 - random.nextDouble()) / maxRate * MICROS_PER_DAY);
                    if (t >= END_MICROS) {
                        break;
                    }
                    double effectiveRate = customer.ordersPerDay() * (treated && t >= firstAssigned[i] ? TREATMENT_LIFT : 1.0);
                    if (random.nextDouble() * maxRate > effectiveRate) {
                        continue;
                    }
                    double revenue = round(customer.orderValue() * Math.exp(0.3 * random.nextGaussian() - 0.045), 2);
                    orders.add(new Order(i, Math.max(revenue, 0.5), random.nextDouble() < 0.05, t));
                }
            }
            orders.sort(Comparator.comparingLong(Order::orderedAt));

            int n = customers.size();
            String[] ids = new String[n];
            String[] countries = new String[n];
            String[] channels = new String[n];
            long[] signedUp = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = customers.get(i).id();
                countries[i] = customers.get(i).country();
                channels[i] = customers.get(i).channel();
                signedUp[i] = customers.get(i).signedUpAt();
            }
            data.put(new ExampleTable("customers", n)
                    .strings("customer_id", ids)
                    .strings("country", countries)
                    .strings("channel", channels)
                    .timestamps("signed_up_at", signedUp));

            int p = profiles.size();
            String[] profileCustomers = new String[p];
            String[] plans = new String[p];
            long[] credit = new long[p];
            long[] updated = new long[p];
            for (int i = 0; i < p; i++) {
                Profile profile = profiles.get(i);
                profileCustomers[i] = ids[profile.customer()];
                plans[i] = profile.plan();
                credit[i] = profile.creditLimit();
                updated[i] = profile.updatedAt();
            }
            data.put(new ExampleTable("customer_profiles", p)
                    .strings("customer_id", profileCustomers)
                    .strings("plan", plans)
                    .longs("credit_limit", credit)
                    .timestamps("updated_at", updated));

            int o = orders.size();
            String[] orderIds = new String[o];
            String[] orderCustomers = new String[o];
            double[] revenue = new double[o];
            String[] status = new String[o];
            String[] orderCountries = new String[o];
            String[] orderChannels = new String[o];
            long[] orderedAt = new long[o];
            for (int i = 0; i < o; i++) {
                Order order = orders.get(i);
                orderIds[i] = id("ord_", i + 1, 6);
                orderCustomers[i] = ids[order.customer()];
                revenue[i] = order.revenue();
                status[i] = order.refunded() ? "refunded" : "completed";
                orderCountries[i] = countries[order.customer()];
                orderChannels[i] = channels[order.customer()];
                orderedAt[i] = order.orderedAt();
            }
            data.put(new ExampleTable("orders", o)
                    .strings("order_id", orderIds)
                    .strings("customer_id", orderCustomers)
                    .doubles("revenue", revenue)
                    .strings("status", status)
                    .strings("country", orderCountries)
                    .strings("channel", orderChannels)
                    .timestamps("ordered_at", orderedAt));

            int a = assignments.size();
            String[] assigned = new String[a];
            String[] variants = new String[a];
            long[] assignedAt = new long[a];
            for (int i = 0; i < a; i++) {
                assigned[i] = ids[assignments.get(i).customer()];
                variants[i] = assignments.get(i).variant();
                assignedAt[i] = assignments.get(i).assignedAt();
            }
            data.put(new ExampleTable("assignments", a)
                    .strings("customer_id", assigned)
                    .strings("variant", variants)
                    .timestamps("assigned_at", assignedAt));
        }

        private Profile profile(int customer, int plan, long at) {
            long credit = PLAN_CREDIT[plan] == 0 ? 0 : PLAN_CREDIT[plan] + 500L * random.nextInt(5);
            return new Profile(customer, PLANS[plan], credit, at);
        }

        /** Marsaglia and Tsang's method, for shape at least 1 and scale 1. */
        private double gamma(double shape) {
            double d = shape - 1.0 / 3;
            double c = 1 / Math.sqrt(9 * d);
            while (true) {
                double x = random.nextGaussian();
                double v = 1 + c * x;
                if (v <= 0) {
                    continue;
                }
                v = v * v * v;
                double u = random.nextDouble();
                if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                    return d * v;
                }
            }
        }
    }

    // ---- scenario 3: the README tour's clicks ----------------------------------------------------------------

    private static final class ClickScenario {
        private static final String[] PAGES = {"home", "pricing", "docs", "blog", "signup"};
        private static final double[] PAGE_SHARE = {0.35, 0.15, 0.25, 0.15, 0.10};

        private final Random random;

        ClickScenario(Random random) {
            this.random = random;
        }

        void build(ExampleData data) {
            // Some users click far more than others, so windowed counts differ between them.
            double[] weight = new double[USERS];
            double total = 0;
            for (int u = 0; u < USERS; u++) {
                weight[u] = Math.exp(1.2 * random.nextGaussian());
                total += weight[u];
            }
            long[] times = new long[CLICKS];
            int[] users = new int[CLICKS];
            for (int i = 0; i < CLICKS; i++) {
                double u = random.nextDouble() * total;
                int user = 0;
                while (user < USERS - 1 && u >= weight[user]) {
                    u -= weight[user];
                    user++;
                }
                users[i] = user;
                times[i] = START_MICROS + (long) (random.nextDouble() * (END_MICROS - START_MICROS));
            }
            Integer[] order = new Integer[CLICKS];
            for (int i = 0; i < CLICKS; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> times[i]));
            String[] userIds = new String[CLICKS];
            String[] pages = new String[CLICKS];
            long[] clickedAt = new long[CLICKS];
            for (int k = 0; k < CLICKS; k++) {
                userIds[k] = id("user_", users[order[k]] + 1, 4);
                pages[k] = PAGES[pick(random, PAGE_SHARE)];
                clickedAt[k] = times[order[k]];
            }
            data.put(new ExampleTable("clicks", CLICKS)
                    .strings("user_id", userIds)
                    .strings("page", pages)
                    .timestamps("clicked_at", clickedAt));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static int pick(Random random, double[] shares) {
        double u = random.nextDouble();
        double sum = 0;
        for (int i = 0; i < shares.length; i++) {
            sum += shares[i];
            if (u < sum) {
                return i;
            }
        }
        return shares.length - 1;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** {@code prefix} and the number zero-padded to {@code digits}; String.format is slow for 100k rows. */
    private static String id(String prefix, int number, int digits) {
        String text = Integer.toString(number);
        StringBuilder id = new StringBuilder(prefix.length() + digits).append(prefix);
        for (int i = text.length(); i < digits; i++) {
            id.append('0');
        }
        return id.append(text).toString();
    }

    private static long seconds(long seconds) {
        return seconds * MICROS_PER_SECOND;
    }
}
