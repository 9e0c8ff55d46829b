FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates git
RUN curl -sSL https://get.example.com/installer | bash -s -- --version 1.2.0
RUN curl -sSLo /usr/local/bin/tool https://dl.example.com/tool-1.2.0 && chmod +x /usr/local/bin/tool
ENV TOOL_LICENSE_KEY=LK-7F3A-99QZ-2B8C-KD41
ENV TOOL_HOME=/opt/tool
