# The Streamprop image, built from the shaded jar (no Maven inside):
#
#   mvn -B package -DskipTests          # gives target/streamprop.jar
#   docker build -t streamprop .
#   docker run --rm streamprop --help
#
# By default the container runs the learner with /etc/streamprop/learner.properties; mount your
# own file there, or give another command (topics create, tail predictions, ...).
FROM eclipse-temurin:17-jre

RUN groupadd --system streamprop \
    && useradd --system --gid streamprop --home-dir /var/lib/streamprop streamprop \
    && mkdir -p /opt/streamprop /etc/streamprop /var/lib/streamprop/state \
    && chown -R streamprop:streamprop /var/lib/streamprop

COPY target/streamprop.jar /opt/streamprop/streamprop.jar
COPY ops/docker/streamprop /usr/local/bin/streamprop
COPY ops/docker/learner.properties /etc/streamprop/learner.properties

USER streamprop
WORKDIR /var/lib/streamprop
# the web page, /metrics and the REST queries (streamprop.http.port)
EXPOSE 7070
ENTRYPOINT ["streamprop"]
CMD ["run", "--config", "/etc/streamprop/learner.properties"]
