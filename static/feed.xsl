<?xml version="1.0" encoding="utf-8"?>
<!-- Shows a feed as a readable page when a person opens it in a browser. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8"/>
  <xsl:template match="/">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title|atom:feed/atom:title"/></title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <main class="wrap">
          <h1><xsl:value-of select="rss/channel/title|atom:feed/atom:title"/></h1>
          <p class="explain">这是一个订阅源（RSS/Atom）。把本页地址复制到阅读器中即可订阅，有新内容时会自动收到。 This is a feed: copy this page's address into a feed reader to subscribe.</p>
          <ul class="case-list">
            <xsl:for-each select="rss/channel/item">
              <li><a href="{link}"><xsl:value-of select="title"/></a><p class="meta"><xsl:value-of select="pubDate"/></p></li>
            </xsl:for-each>
            <xsl:for-each select="atom:feed/atom:entry">
              <li><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><p class="meta"><xsl:value-of select="atom:updated"/></p></li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
