// Texts of the shared attachments component (components/Attachments.vue).
export default {
  zh: {
    files: {
      title: '附件', upload: '上传附件', uploadHint: '支持图片（jpg/png/gif/webp）、PDF、Word/Excel/PPT，单个不超过 20 MB',
      fileName: '文件名', fileSize: '大小', fileType: '类型', fileTime: '上传时间', download: '下载',
      uploaded: '“{name}”上传成功', fileTooLarge: '“{name}”超过 20 MB', noFiles: '暂无附件',
      fileDeleteConfirm: '确定删除附件“{name}”吗？', preview: '预览',
    },
  },
  en: {
    files: {
      title: 'Attachments', upload: 'Upload', uploadHint: 'Images (jpg/png/gif/webp), PDF, Word/Excel/PowerPoint, at most 20 MB each',
      fileName: 'Name', fileSize: 'Size', fileType: 'Type', fileTime: 'Uploaded', download: 'Download',
      uploaded: '“{name}” uploaded', fileTooLarge: '“{name}” is larger than 20 MB', noFiles: 'No attachments',
      fileDeleteConfirm: 'Delete the attachment “{name}”?', preview: 'Preview',
    },
  },
}
